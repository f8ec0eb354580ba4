// Messages a club secretary reads next to the spreadsheet: the row, the column as they wrote it,
// the value, and what a right value looks like. Western digits in both languages, as on
// Moroccan forms.
import { FIELD_LABELS } from './columns';
import type { Province } from './provinces';
import type { BilingualMessage, RosterField } from './types';

function row(rowNumber: number, message: BilingualMessage): BilingualMessage {
  return { fr: `Ligne ${rowNumber} : ${message.fr}`, ar: `السطر ${rowNumber}: ${message.ar}` };
}

// French labels start lower-case inside a sentence, except acronyms such as "CIN".
function inSentence(label: string): string {
  return /^\p{Lu}\p{Lu}/u.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

function labelOf(field: RosterField): BilingualMessage {
  return FIELD_LABELS[field];
}

/** A file that is neither CSV nor XLSX (old .xls, .ods…). */
export function fileUnsupported(): BilingualMessage {
  return {
    fr: 'Format de fichier non pris en charge : enregistrez-le en Excel (.xlsx) ou en CSV UTF-8.',
    ar: 'صيغة الملف غير مدعومة: احفظه بصيغة Excel (.xlsx) أو CSV UTF-8.',
  };
}

/** A file the CSV or XLSX reader could not make sense of, with where it stopped if known. */
export function fileUnreadable(
  line: number | undefined,
  quoteNotClosed: boolean,
): BilingualMessage {
  if (quoteNotClosed) {
    const where = line === undefined ? { fr: '', ar: '' } : {
      fr: ` (la lecture s’arrête à la ligne ${line})`,
      ar: ` (توقفت القراءة في السطر ${line})`,
    };

    return {
      fr: `Le fichier CSV contient un guillemet (") ouvert qui n’est jamais refermé${where.fr} : `
        + 'vérifiez les cellules qui commencent par un guillemet.',
      ar: `ملف CSV يحتوي على علامة تنصيص (") مفتوحة لم تُغلق${where.ar}: `
        + 'تحقق من الخانات التي تبدأ بعلامة تنصيص.',
    };
  }

  const where = line === undefined
    ? { fr: '', ar: '' }
    : { fr: ` (vers la ligne ${line})`, ar: ` (قرب السطر ${line})` };

  return {
    fr: `Le fichier est illisible ou abîmé${where.fr}.`,
    ar: `تعذرت قراءة الملف أو أنه تالف${where.ar}.`,
  };
}

/** A CSV file not in UTF-8. */
export function encodingInvalid(): BilingualMessage {
  return {
    fr: 'Le fichier CSV n’est pas en UTF-8 : dans Excel, « Enregistrer sous » puis « CSV UTF-8 ».',
    ar: 'ملف CSV ليس بترميز UTF-8: في Excel اختر «حفظ باسم» ثم «CSV UTF-8».',
  };
}

/** A file with no row at all. */
export function fileEmpty(): BilingualMessage {
  return { fr: 'Le fichier est vide.', ar: 'الملف فارغ.' };
}

/** Required columns not found; lists what was recognised so the admin can map the rest. */
export function columnsUnrecognised(
  missing: readonly RosterField[],
  recognised: readonly { header: string; field: RosterField }[],
): BilingualMessage {
  const isName = (field: RosterField): boolean => field === 'lastName' || field === 'firstName';
  const names = missing.filter(isName);
  const others = missing.filter((field) => !isName(field));
  const missingFr = others.map((field) => `« ${labelOf(field).fr} »`);
  const missingAr = others.map((field) => `«${labelOf(field).ar}»`);
  if (names.length > 0) {
    const fullName = labelOf('fullNameLatin');
    missingFr.unshift(`${names.map((f) => `« ${labelOf(f).fr} »`).join(' et ')} `
      + `(ou « ${fullName.fr} »)`);
    missingAr.unshift(`${names.map((f) => `«${labelOf(f).ar}»`).join(' و')} (أو «${fullName.ar}»)`);
  }
  const foundFr = recognised.map((c) => `« ${c.header} » = ${labelOf(c.field).fr}`).join(', ');
  const foundAr = recognised.map((c) => `«${c.header}» = ${labelOf(c.field).ar}`).join('، ');

  return {
    fr: `Colonnes obligatoires introuvables : ${missingFr.join(', ')}. `
      + `Colonnes reconnues : ${foundFr || 'aucune'}.`,
    ar: `أعمدة إلزامية غير موجودة: ${missingAr.join('، ')}. `
      + `الأعمدة المتعرف عليها: ${foundAr || 'لا شيء'}.`,
  };
}

/** Two columns feed the same field; the later one is ignored. */
export function columnDuplicate(header: string, keptHeader: string): BilingualMessage {
  return {
    fr: `La colonne « ${header} » est ignorée : elle répète la colonne « ${keptHeader} ».`,
    ar: `تم تجاهل العمود «${header}» لأنه يكرر العمود «${keptHeader}».`,
  };
}

/** The admin mapped a header the file does not have. */
export function mappingHeaderMissing(header: string): BilingualMessage {
  return {
    fr: `La colonne « ${header} » choisie dans la correspondance n’existe pas dans le fichier.`,
    ar: `العمود «${header}» المحدد في المطابقة غير موجود في الملف.`,
  };
}

/** A required cell left empty. */
export function requiredMissing(rowNumber: number, field: RosterField): BilingualMessage {
  const label = labelOf(field);

  return row(rowNumber, { fr: `« ${label.fr} » est vide`, ar: `خانة «${label.ar}» فارغة` });
}

/** Only an Arabic name was given; the card needs the Latin one. */
export function latinNameMissing(rowNumber: number): BilingualMessage {
  return row(rowNumber, {
    fr: 'le nom et le prénom en lettres latines sont obligatoires (ils figurent sur la carte)',
    ar: 'الاسم العائلي والشخصي بالحروف اللاتينية إلزاميان (يظهران على البطاقة)',
  });
}

/** A full name of a single word: family and given names cannot be told apart. */
export function nameIncomplete(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `nom complet « ${value} » incomplet : il faut le nom et le prénom`,
    ar: `الاسم الكامل «${value}» ناقص: يجب ذكر الاسم العائلي والشخصي`,
  });
}

/** A name or other text cell holding control characters (a tab, a NUL…) from a broken export. */
export function textInvalid(rowNumber: number, field: RosterField): BilingualMessage {
  const label = labelOf(field);

  return row(rowNumber, {
    fr: `« ${label.fr} » contient des caractères de contrôle invisibles (retapez la cellule)`,
    ar: `خانة «${label.ar}» تحتوي على رموز تحكم غير مرئية (أعد كتابة الخانة)`,
  });
}

/** A CIN that is not one or two letters followed by up to six digits. */
export function cinInvalid(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `CIN « ${value} » invalide (1 ou 2 lettres suivies de 1 à 6 chiffres)`,
    ar: `رقم البطاقة الوطنية «${value}» غير صحيح (حرف أو حرفان لاتينيان متبوعان بـ 1 إلى 6 أرقام)`,
  });
}

/** A CIN already given on an earlier row. */
export function cinDuplicate(rowNumber: number, cin: string, firstRow: number): BilingualMessage {
  return row(rowNumber, {
    fr: `CIN « ${cin} » déjà présent à la ligne ${firstRow}`,
    ar: `رقم البطاقة الوطنية «${cin}» مكرر، سبق ذكره في السطر ${firstRow}`,
  });
}

/** A membership number with characters other than letters, digits and hyphens, or too long. */
export function membershipNumberInvalid(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `N° adhérent « ${value} » invalide (lettres, chiffres et tirets, 20 caractères au plus, `
      + 'commençant par une lettre ou un chiffre ; exemple : 100001)',
    ar: `رقم الانخراط «${value}» غير صحيح (حروف لاتينية وأرقام وشرطات، 20 حرفا على الأكثر، `
      + 'يبدأ بحرف أو رقم؛ مثال: 100001)',
  });
}

/** A membership number already given on an earlier row. */
export function membershipNumberDuplicate(
  rowNumber: number,
  value: string,
  firstRow: number,
): BilingualMessage {
  return row(rowNumber, {
    fr: `N° adhérent « ${value} » déjà présent à la ligne ${firstRow}`,
    ar: `رقم الانخراط «${value}» مكرر، سبق ذكره في السطر ${firstRow}`,
  });
}

/** Text that is not a date, or a day that does not exist. */
export function dateInvalid(
  rowNumber: number,
  field: RosterField,
  value: string,
): BilingualMessage {
  const label = labelOf(field);

  return row(rowNumber, {
    fr: `${inSentence(label.fr)} « ${value} » invalide (date inexistante ou format inconnu ; `
      + 'écrivez jj/mm/aaaa)',
    ar: `${label.ar} «${value}» غير صحيح (تاريخ غير موجود أو صيغة غير معروفة؛ اكتب يوم/شهر/سنة)`,
  });
}

/** A birth date in the future or before 1900. */
export function birthDateOutOfRange(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `date de naissance « ${value} » impossible (elle doit être entre 1900 et aujourd’hui)`,
    ar: `تاريخ الازدياد «${value}» غير ممكن (يجب أن يكون بين سنة 1900 واليوم)`,
  });
}

/** A membership that ends before it starts. */
export function dateRangeInvalid(rowNumber: number, from: string, to: string): BilingualMessage {
  return row(rowNumber, {
    fr: `la fin d’adhésion (${to}) précède son début (${from})`,
    ar: `نهاية الانخراط (${to}) تسبق بدايته (${from})`,
  });
}

/** A phone number that is not a valid Moroccan (or international) number. */
export function phoneInvalid(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `téléphone « ${value} » invalide (exemple : 06 12 34 56 78)`,
    ar: `رقم الهاتف «${value}» غير صحيح (مثال: 06 12 34 56 78)`,
  });
}

/** Text that is not an e-mail address. */
export function emailInvalid(rowNumber: number, value: string): BilingualMessage {
  return row(rowNumber, {
    fr: `e-mail « ${value} » invalide (exemple : prenom.nom@exemple.ma)`,
    ar: `البريد الإلكتروني «${value}» غير صحيح (مثال: prenom.nom@exemple.ma)`,
  });
}

/** A province that is not in the reference data, with the likely one if it is clear. */
export function provinceUnknown(
  rowNumber: number,
  field: RosterField,
  value: string,
  suggestion: Province | undefined,
): BilingualMessage {
  const label = labelOf(field);
  const fr = `${inSentence(label.fr)} « ${value} » inconnue`;
  const ar = `${label.ar} «${value}» غير معروف`;
  if (suggestion) {
    return row(rowNumber, {
      fr: `${fr}. Vouliez-vous dire « ${suggestion.nameFr} » (${suggestion.code}) ?`,
      ar: `${ar}. هل تقصد «${suggestion.nameAr}» (${suggestion.code})؟`,
    });
  }

  return row(rowNumber, {
    fr: `${fr} (écrivez le nom de la province ou son code, par exemple Guelmim ou 10.261)`,
    ar: `${ar} (اكتب اسم الإقليم أو رمزه، مثلا كلميم أو 10.261)`,
  });
}
