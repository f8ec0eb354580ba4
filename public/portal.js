/* NadiPass portal: small aids for the counter. Every page works without this script. */
(function () {
  'use strict';

  // A second click or a second Enter while the page is loading must not post the form again.
  // (The server also makes a redemption once per verdict page; this only saves a round trip.)
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-submit-once')) return;
    if (form.getAttribute('data-submitted') === '1') {
      event.preventDefault();
      return;
    }
    form.setAttribute('data-submitted', '1');
  });

  // Coming back with the browser's Back button shows the page from memory: let it submit again.
  window.addEventListener('pageshow', function () {
    var forms = document.querySelectorAll('form[data-submitted]');
    for (var i = 0; i < forms.length; i++) forms[i].removeAttribute('data-submitted');
  });

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.closest && target.closest('[data-print]')) window.print();
  });

  // A USB scanner types wherever the focus is: bring it back to the scan field when the page
  // regains focus and nothing else is being typed into.
  function refocus() {
    var field = document.querySelector('[data-scan-input]');
    var active = document.activeElement;
    var typing = active && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(active.tagName);
    if (field && !typing) field.focus();
  }
  window.addEventListener('focus', refocus);
  document.addEventListener('DOMContentLoaded', refocus);
})();
