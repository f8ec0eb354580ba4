/*
 * Scans a card or voucher QR with the device's camera: frames from getUserMedia are drawn on a
 * canvas and decoded by jsQR (served by the app itself, so it works without internet). The
 * decoded text goes into the scan field, whose form is then submitted as if a scanner typed it.
 */
(function () {
  'use strict';

  var section = document.querySelector('[data-camera]');
  if (!section) return;

  var startButton = section.querySelector('[data-camera-start]');
  var stopButton = section.querySelector('[data-camera-stop]');
  var video = section.querySelector('[data-camera-video]');
  var status = section.querySelector('[data-camera-status]');
  var field = document.querySelector('[data-scan-input]');
  var canvas = document.createElement('canvas');
  var context = canvas.getContext('2d', { willReadFrequently: true });
  var stream = null;
  var remember = 'nadipass.camera';

  function say(name) {
    status.textContent = section.getAttribute('data-msg-' + name) || '';
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
  }

  function found(text) {
    stop();
    say('found');
    field.value = text;
    var form = field.form;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function scanFrame() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      // Decoding a smaller picture is faster on an old phone and still reads a card's QR.
      var scale = Math.min(1, 800 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
      if (code && code.data) {
        found(code.data);
        return;
      }
    }
    window.requestAnimationFrame(scanFrame);
  }

  function start() {
    if (!window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say('unavailable');
      startButton.hidden = true;
      return;
    }
    say('starting');
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        try { window.localStorage.setItem(remember, 'on'); } catch (e) { /* private mode */ }
        return video.play();
      })
      .then(function () {
        say('looking');
        window.requestAnimationFrame(scanFrame);
      })
      .catch(function (error) {
        stop();
        say(error && error.name === 'NotAllowedError' ? 'denied' : 'unavailable');
      });
  }

  startButton.addEventListener('click', start);
  stopButton.addEventListener('click', function () {
    stop();
    status.textContent = '';
    try { window.localStorage.removeItem(remember); } catch (e) { /* private mode */ }
    if (field) field.focus();
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // Plain http on a shop's network is not a secure context: the browser offers no camera.
    say('unavailable');
    startButton.hidden = true;
    return;
  }
  // A phone that scanned with its camera last time starts it again at once.
  try {
    if (window.localStorage.getItem(remember) === 'on') start();
  } catch (e) { /* private mode */ }
})();
