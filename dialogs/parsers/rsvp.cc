// Word tables are recognition data (how people write), never shown.
#include "dialogs/parsers/rsvp.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "dialogs/lexicon.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

constexpr size_t kMaxWords = 15;
// With an invitation pending, a longer message may still answer it when it
// opens with the answer ("Sy usahakan hadir bapa, tp mungkin agak
// terlambat ...").
constexpr size_t kMaxPendingWords = 40;
// A letter that names the invitation and says its answer of the writer may
// be longer still: elders write a greeting, the reason and a closing.
constexpr size_t kMaxLetterWords = 90;

constexpr std::string_view kAttend[] = {"hadir",   "datang", "rawuh",      "teko",     "dateng",
                                        "tekan",   "merapat",
                                        // Late is coming: "tiang telat dikit nggih bu".
                                        "telat",   "terlambat", "talambat",
                                        // "abdi engke nyusul": coming later.
                                        "nyusul",  "menyusul",
                                        // Sundanese: "abdi insya allah sumping".
                                        "sumping"};
// "Not" as regions write it (Javanese, Banjar, Sasak, Acehnese, eastern
// Malay, Sundanese, Balinese, Madurese...): "kada bisa", "ndek bisa",
// "hana jeut", "tra bisa". Not "tak": in Javanese it is "I will".
constexpr std::string_view kNot[] = {"tidak", "mboten", "ora",  "nggak",  "enggak", "kada",
                                     "ndek",  "endek",  "ndk",  "hana",   "tra",    "tara",
                                     "sonde", "nda",    "ndak", "kagak",  "kaga",   "teu",
                                     "henteu", "nyanda", "indak", "inda", "gere",
                                     "nenten", "bhunten"};
constexpr std::string_view kNegation[] = {"belum", "berhalangan", "absen", "izin",
                                          "ijin",  "gabisa",      "halangan"};
// "Cannot" with no attend word: "mboten saged", "ora iso", "kada bisa";
// "no time": "tidak sempat", "hana sempat".
constexpr std::string_view kCannot[] = {"saged", "iso",    "isa",   "bisa",
                                        "jeut",  "kawa",   "sempat", "sempet"};
// Leading words skipped before the reason starts.
constexpr std::string_view kReasonFillers[] = {
    "tidak", "bisa", "dapat", "hadir", "datang", "rawuh", "mboten", "saged",
    "ora", "iso", "isa", "teko", "maaf", "mohon", "saya", "kami", "pak", "bu",
    "bapak", "ibu", "insyaallah", "insya", "allah", "berhalangan", "izin",
    "ijin", "ya", "belum", "sedang", "lagi", "karena", "soalnya", "ngapunten",
    "nuwun", "nyuwun", "sewu", "absen", "nggih", "inggih", "besok", "nanti", "ikut",
    "rapat", "acaranya", "dulu", "sik", "halangan", "admin", "jadi", "sido",
    "aja", "saja", "sempat", "sempet"};
constexpr std::string_view kQuestionWords[] = {"kapan", "dimana", "mana",
                                               "berapa", "siapa", "apakah"};
// Without a pending invitation, the words that may stand before the answer
// besides the reason fillers: the message opens as an answer about
// attending ("ya sy dtg", "maaf bu gk bisa dtg", "rapat besok sy hadir"),
// not as a sentence about something else that comes or cannot ("tangki air
// cuma datang 2 kali", "lampu tidak bisa nyala").
constexpr std::string_view kOpeners[] = {
    "ya", "iya", "nggak", "enggak", "gak", "ga", "gk", "tak", "insyallah",
    "insha", "inshaallah", "siap", "pasti", "akan", "usahakan", "diusahakan",
    "aku", "kulo", "kula", "musyawarah", "pertemuan", "undangan", "musdes",
    "musdus", "kumpulan", "acara", "mas", "mbak", "kak", "nanti", "tetap",
    // Regional yes and polite openers: "iye sy datang ji", "tabe puang ...".
    "iye", "iyo", "inggih", "njih", "nggih", "tabe", "tabek", "puang", "punten",
    "enggi", "engghi", "iyye", "ibu2",
    "permisi", "bapa", "mama", "nyuwun", "sepurane",
    // Answering the greeting and thanking for the invitation first.
    "waalaikumsalam", "walaikumsalam", "terima", "kasih", "makasih", "trimakasih",
    "undangannya", "atas", "tarimo", "undanganna", "undangane", "matur", "nuwun", "suwun",
    "sembah",
    // "I" as regions write it: Batak and Mandailing "au", eastern "sa", "beta".
    "au", "sa", "beta",
    // A formal letter's opening, and the meeting it names with its date:
    // "Dengan hormat, terima kasih atas undangan MKP tanggal 23 November
    // 2026. Insya Allah saya akan hadir".
    "dengan", "hormat", "bermaksud", "insya", "allah", "mkp", "rapat", "tanggal", "tgl",
    "hari", "pada", "januari", "februari", "maret", "april", "mei", "juni", "juli",
    "agustus", "september", "oktober", "november", "desember", "pebruari", "nopember",
    "jan", "feb", "mar", "apr", "jun", "jul", "agt", "ags", "sep", "okt", "nov", "des",
    "senin", "selasa", "rabu",
    "kamis", "jumat", "sabtu", "minggu",
    // "iye undangan mkp tgl 23 sdh sy terima, tp sy tdk bisa datang".
    "sudah", "tapi"};
// A report about someone's attending ("kami laporkan kades tidak hadir di
// musdes, dana dipotong") answers no invitation.
constexpr std::string_view kReportWords[] = {
    "lapor",   "laporkan", "melaporkan", "dilaporkan", "adu",    "aduan",   "mengadu",
    "ngadu",   "pengaduan", "dipotong",  "potongan",   "pungli", "korupsi", "diusut",
    "usut",    "mengusut",
    // Wrongdoing seen at a meeting ("sy hadir di musdes, kades menyogok
    // warga"): a complaint, though it names the meeting and coming.
    "suap", "disuap", "menyuap", "sogok", "disogok", "menyogok", "nyogok", "sogokan",
    "curang", "kecurangan", "diselewengkan", "menyelewengkan", "penyelewengan",
    "manipulasi", "dimanipulasi"};
// Someone else goes in the person's place ("nanti sy suruh ade yg wakili"):
// the person is not coming.
constexpr std::string_view kRepresented[] = {"wakil",    "wakili",  "wakilkan", "diwakili",
                                             "diwakilkan", "mewakili", "wakilnya",
                                             "diwakilan", "wakilan",
                                             // Sundanese: "abdi ngawakilan ku adi abdi".
                                             "ngawakilan", "diwakilkeun", "ngawakilkeun"};
// In the person's place ("sa kirim sa pu anak perempuan ganti sa"): one of
// these right before "saya" (as written or as a region writes it); "ganti
// nomor" replaces something else.
constexpr std::string_view kInPlaceOf[] = {"ganti", "gantikan", "menggantikan", "gantiin"};

// Not decided yet, as a message to an invitation opens: "blm tau bisa kah
// ndik", "belum pasti pak", "liat besok ya". Pairs of words as
// ExpandAbbreviations gives them.
constexpr std::pair<std::string_view, std::string_view> kUndecided[] = {
    {"belum", "tahu"},  {"belum", "tau"},   {"belum", "pasti"}, {"belum", "tentu"},
    {"lom", "tau"},     {"lum", "tau"},     {"kurang", "tahu"}, {"kurang", "tau"},
    {"lihat", "nanti"}, {"lihat", "besok"}, {"liat", "nanti"},  {"liat", "besok"},
    {"belum", "bisa"},  {"masih", "ragu"},  {"ragu", "ragu"}};
// ...and a third word where the pair alone says something else: "belum
// bisa pastikan" is undecided, "belum bisa datang" is not coming.
constexpr std::string_view kUndecidedAfterCan[] = {"pastikan", "memastikan", "dipastikan",
                                                   "pasti", "janji"};
// Words that may open the message before it says so.
constexpr size_t kUndecidedWithin = 3;
// "saya ikut pak", "isun melu": joining in, as a region writes it, in a few
// words and nothing else ("ikut kelompok tani" joins a group).
// The person themselves, as regions write "I" and "we".
constexpr std::string_view kSelf[] = {"saya", "sy", "aku", "kami", "kita", "kulo", "kula",
                                      "abdi", "tiang", "beta", "sa", "au", "gue", "gw",
                                      "ambo", "awak", "nyong", "inyong", "isun", "sengko",
                                      "kaule", "ane", "aye", "ulun", "kamek", "kawula",
                                      "kaula", "engkok",
                                      // Elders name themselves as their
                                      // grandchildren do: "insya Allah
                                      // nenek datang".
                                      "nenek", "oma", "opa"};
// Why a person stays away, in the words a reason uses: illness, work,
// harvest, the market, travel, a birth, a family's care.
constexpr std::string_view kAwayReasons[] = {
    "sakit",   "opname",  "dirawat", "kerja",     "lembur",   "panen",  "derep",
    "pasar",   "dagang",  "jualan",  "luar",      "pergi",    "mudik",  "melahirkan",
    "lahiran", "capek",   "kesel",   "jaga",      "jagi",     "layat",  "melayat",
    "hajatan", "kondangan", "merantau", "berangkat", "dinas",  "pulang"};
// Officials whose being away is a complaint, not an answer ("kades pergi
// terus, maaf"): a reason right after one of them is theirs.
constexpr std::string_view kOfficials[] = {"kades", "kepala", "sekdes", "kadus", "lurah", "camat",
                                           "ketua", "petugas", "pendamping", "bendahara",
                                           "perangkat", "aparat", "rt", "rw"};
// One word that is a whole, undecided answer: "Mungkin. Tergantung ...".
constexpr std::string_view kMaybe[] = {"mungkin", "kayaknya", "sepertinya", "entah"};
// The invitation named: "undangan", "diundang", "undang".
constexpr std::string_view kInvitationStems[] = {"undang", "diundang", "ngundang", "mengundang"};
// Or the meeting itself named ("kawula mboten saged rawuh musdus"), in a
// letter that tells of no past meeting.
constexpr std::string_view kMeetingWords[] = {"musdus", "musdes", "mkp", "mad", "rapat",
                                              "musyawarah", "pertemuan", "musrenbang",
                                              "musrenbangdes"};
constexpr std::string_view kPastWords[] = {"kemarin", "kemaren", "kmrn", "wingi", "kepengker",
                                           "lalu", "tadi", "wau", "kapungkur"};
constexpr std::string_view kJoinIn = "ikut";
constexpr size_t kJoinInMaxWords = 5;

bool In(std::string_view w, const auto& table) {
  return std::ranges::find(table, w) != std::end(table);
}

// The word the lexicon's regional map reads `w` as ("dak" is "tidak",
// "pacak" is "bisa"), or `w` itself.
std::string_view Regional(const std::string& w) {
  const auto& regional = DefaultLexicon().regional;
  auto it = regional.find(w);
  return it == regional.end() ? std::string_view(w) : std::string_view(it->second);
}

// `w` is in `table` as written or as a region writes it ("hing" is "tidak").
bool InEither(const std::string& w, const auto& table) {
  return In(w, table) || In(Regional(w), table);
}

// "Not" and "can", as written or as a region writes them.
bool IsNot(const std::string& w) { return InEither(w, kNot); }
bool IsCan(const std::string& w) { return InEither(w, kCannot); }

// An attend word ("datang", "hadir", a typo of one).
bool IsAttend(const std::string& w) {
  return std::ranges::any_of(kAttend, [&](std::string_view a) { return WordMatches(a, w); });
}

// words[i] is "not", alone or before the word that makes it one ("mak bisa").
bool NotAt(const std::vector<std::string>& words, size_t i) {
  if (IsNot(words[i])) return true;
  if (i + 1 >= words.size()) return false;
  const std::string& next = words[i + 1];
  // "tak" is "not" before "can" or an attend word ("tak bisa datang"); in
  // Javanese it is also "I will" ("tak usahakan datang").
  if (words[i] == "tak" && (IsCan(next) || IsAttend(next))) return true;
  return In(MeaningBefore(DefaultLexicon(), words[i], {next, std::string(Regional(next))}), kNot);
}

// An attend or "can" word with the person themselves a few words before
// it: "kita bisa datang", "tiang insyaallah datang".
bool SaysOfSelf(const std::vector<std::string>& words) {
  constexpr size_t kSelfWithin = 4;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!IsAttend(words[i]) && !IsCan(words[i])) continue;
    for (size_t j = i > kSelfWithin ? i - kSelfWithin : 0; j < i; ++j) {
      if (InEither(words[j], kSelf)) return true;
    }
  }
  return false;
}

// Words that open an apology, as regions write it (a polite "please"
// may stand before one; the lexicon reads Javanese "sepurane" as the first).
constexpr std::string_view kApology[] = {"maaf", "ngapunten", "ampura", "ampun", "punten",
                                         "afwan", "sorry", "sori", "pangapunten"};

// An apology that opens the message and, after the reason, a "cannot" or
// "no time" that ends its clause, in a message where the person speaks of
// themselves. A "cannot" followed by another verb is about something else
// (the street light is out, so people cannot pass), and so is one with
// nobody speaking of themselves (the bridge is down, the children cannot).
// Examples, both ways: tests/dialogs/parsers_test.cc (stop 41).
bool DeclinesAfterApology(const std::vector<std::string>& words) {
  const size_t first = !words.empty() && words[0] == "mohon" ? 1 : 0;
  if (first >= words.size() || !InEither(words[first], kApology)) return false;
  if (std::ranges::none_of(words, [](const std::string& w) { return InEither(w, kSelf); })) {
    return false;
  }
  for (size_t i = first + 2; i < words.size(); ++i) {
    if (!IsCan(words[i]) || !NotAt(words, i - 1)) continue;
    if (i + 1 == words.size()) return true;
    const std::string& next = words[i + 1];
    if (IsAttend(next) || InEither(next, kSelf) || InEither(next, kReasonFillers) ||
        InEither(next, kOpeners)) {
      return true;
    }
  }
  return false;
}

// Only a few words, one of them "join in" and the rest openers, fillers,
// "not" and "can": the answer is that word, or "not" with it.
std::optional<RsvpAnswer> JoinsIn(const std::vector<std::string>& words) {
  if (words.size() > kJoinInMaxWords) return std::nullopt;
  bool join = false;
  bool negated = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const std::string_view r = Regional(w);
    if (w == kJoinIn || r == kJoinIn) {
      join = true;
    } else if (NotAt(words, i) || In(w, kNegation)) {
      negated = true;
    } else if (!InEither(w, kOpeners) && !InEither(w, kReasonFillers) && !IsCan(w)) {
      return std::nullopt;
    }
  }
  if (!join) return std::nullopt;
  return RsvpAnswer{negated ? "tidak" : "hadir", ""};
}

// The message opens saying it is not decided yet: one of kUndecided within
// its first words, with nothing before it but openers and courtesy.
bool Undecided(const std::vector<std::string>& words) {
  for (size_t i = 0; i + 1 < words.size() && i <= kUndecidedWithin; ++i) {
    const std::string& w = words[i];
    // "datang, tapi belum tau jam berapa": the answer came first.
    if (IsAttend(w)) return false;
    const bool pair = std::ranges::any_of(kUndecided, [&](const auto& u) {
      return u.first == w && (u.second == words[i + 1] || u.second == Regional(words[i + 1]));
    });
    if (pair) {
      if (w != "belum" || words[i + 1] != "bisa") return true;
      return i + 2 < words.size() && In(words[i + 2], kUndecidedAfterCan);
    }
    if (!In(w, kOpeners) && !In(w, kReasonFillers)) return false;
  }
  return false;
}

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// The raw text from the first word that is not a filler on.
std::string Reason(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i])))
      ++i;
    size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i])))
      ++i;
    if (start == i) break;
    std::string word = NormalizeText(text.substr(start, i - start));
    std::vector<std::string> expanded = Words(ExpandAbbreviations(word));
    bool filler = !expanded.empty();
    for (const std::string& e : expanded) {
      // As written or as a region writes it ("sepurane hing isa melu"); a
      // letter's opening and the meeting's date before the answer too
      // ("Dengan hormat, terima kasih atas undangan MKP tgl 23 Nopember
      // 2026. Mohon maaf saya tidak dapat hadir karena ...").
      filler = filler && (InEither(e, kReasonFillers) || IsNot(e) || IsCan(e) || In(e, kOpeners) ||
                          AllDigits(e));
    }
    if (!filler) return Trim(text.substr(start));
  }
  return "";
}

}  // namespace

namespace {

// Endings of web addresses that adverts and scams link to ("bit.ly/...",
// "bri-tarif-baru.webs.id", "gacor88.vip"); recognition data.
constexpr std::string_view kDomainEndings[] = {
    "id", "co", "net", "org", "info", "xyz", "vip", "site", "online", "link", "me", "ly",
    "top", "biz", "cc", "io", "app", "store", "shop", "live", "club", "click", "website"};

// A word like "name.ending" (letters before the dot, a known ending after
// it, a path or punctuation allowed after that).
bool HoldsDomain(std::string_view lower) {
  size_t at = 0;
  while (at < lower.size()) {
    size_t end = lower.find_first_of(" \n\t", at);
    if (end == std::string_view::npos) end = lower.size();
    std::string_view word = lower.substr(at, end - at);
    at = end + 1;
    if (size_t slash = word.find('/'); slash != std::string_view::npos) word = word.substr(0, slash);
    while (!word.empty() && std::string_view(".,;:!?)").find(word.back()) != std::string_view::npos) {
      word.remove_suffix(1);
    }
    const size_t dot = word.rfind('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    const std::string_view ending = word.substr(dot + 1);
    const std::string_view name = word.substr(0, dot);
    const bool letters = std::ranges::any_of(name, [](char c) { return c >= 'a' && c <= 'z'; });
    if (letters && std::ranges::find(kDomainEndings, ending) != std::end(kDomainEndings)) return true;
  }
  return false;
}

}  // namespace

namespace {

// A link or a phone number: six digits or more in a run, which may hold
// dashes, spaces and dots.
bool Marked(std::string_view text) {
  std::string lower = Lowercase(text);
  if (lower.find("http") != std::string::npos ||
      lower.find("www") != std::string::npos ||
      lower.find(".com") != std::string::npos || HoldsDomain(lower)) {
    return true;
  }
  size_t run = 0;
  for (char c : lower) {
    if (c >= '0' && c <= '9') {
      if (++run >= 6) return true;
    } else if (c != '-' && c != ' ' && c != '.') {
      run = 0;
    }
  }
  return false;
}

}  // namespace

BroadcastShape ShapeOf(std::string_view text) {
  BroadcastShape shape;
  shape.marked = Marked(text);
  if (!shape.marked) shape.words = WordCount(text);
  return shape;
}

bool LooksLikeBroadcast(std::string_view text, size_t max_words) {
  return Marked(text) || WordCount(text) > max_words;
}

namespace {

std::optional<RsvpAnswer> ParseWhole(std::string_view text, bool pending) {
  // Past kMaxPendingWords only a letter that names the invitation (below).
  const BroadcastShape shape = ShapeOf(text);
  if (shape.Exceeds(pending ? kMaxLetterWords : kMaxWords)) return std::nullopt;
  // A question answers nothing, unless an invited person asks it after
  // answering ("iya dtg, boleh bawa temen gk?"): checked below.
  bool asked = text.find('?') != std::string_view::npos;
  if (asked && !pending) return std::nullopt;
  std::vector<std::string> words = Words(ExpandAbbreviations(NormalizeText(text)));
  if (words.empty()) return std::nullopt;
  // "Izin" to an invitation is an excused absence ("maaf bu gw izin"), but
  // "izin tanya" asks leave to ask.
  const auto excused = [&](size_t i) {
    const std::string& w = words[i];
    if (w == "berhalangan" || w == "halangan") return true;
    if (!pending || (w != "izin" && w != "ijin" && w != "absen")) return false;
    return i + 1 == words.size() ||
           (words[i + 1] != "tanya" && words[i + 1] != "bertanya" && words[i + 1] != "nanya");
  };
  if (std::ranges::any_of(words, [](const std::string& w) { return In(w, kReportWords); })) {
    return std::nullopt;
  }
  // Short: a longer message that opens "belum tahu" goes on to say more.
  if (pending && !asked && words.size() <= kMaxWords && Undecided(words)) {
    return RsvpAnswer{kRsvpUndecided, ""};
  }
  if (pending && !asked) {
    if (std::optional<RsvpAnswer> joins = JoinsIn(words)) return joins;
  }
  bool attend = false;
  bool negated = false;
  bool cannot = false;
  // Without a pending invitation the answer must open the message: only
  // opener words before the first attend or cannot word.
  bool opens = true;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (In(w, kQuestionWords)) {
      // "kapan harus datang?" asks; "datang, bawa apa?" answers, then asks.
      if (!attend && !cannot) return std::nullopt;
      asked = true;
    }
    const bool number = std::ranges::all_of(w, [](char c) { return c >= '0' && c <= '9'; });
    if (!attend && !cannot && !InEither(w, kReasonFillers) &&
        !In(w, kNegation) && !NotAt(words, i) && !IsCan(w) && !In(w, kOpeners) && !number) {
      bool answer_word = excused(i);
      answer_word = answer_word || IsAttend(w);
      if (!answer_word) opens = false;
    }
    bool is_attend = IsAttend(w);
    // "daftar hadir" is an attendance list, not an answer.
    if (is_attend && i > 0 && words[i - 1] == "daftar") is_attend = false;
    if (is_attend) attend = true;
    if ((In(w, kNegation) || NotAt(words, i)) && !attend) negated = true;
    if (IsCan(w) && i > 0 && NotAt(words, i - 1)) cannot = true;
    const bool in_place_of = In(w, kInPlaceOf) && i + 1 < words.size() &&
                             (words[i + 1] == "saya" || Regional(words[i + 1]) == "saya");
    if (excused(i) || (pending && (In(w, kRepresented) || in_place_of))) cannot = true;
  }
  // A question, or more than a short answer says, counts only after an
  // answer that opens the message.
  // "InsyaAllah, tp boleh bawa bayi?": the answer, then a question.
  if (pending && asked) {
    const size_t comma = text.find(',');
    if (comma != std::string_view::npos && text.substr(0, comma).find('?') == std::string_view::npos) {
      const YesNo first = ParseYesNo(text.substr(0, comma));
      if (first == YesNo::kYes) return RsvpAnswer{"hadir", ""};
    }
  }
  // A longer letter that names the invitation (a word of kInvitationStems,
  // or the meeting: kMeetingWords) answers it wherever its answer stands,
  // as long as it asks nothing and the person says it of themselves
  // (SaysOfSelf: an official's absence answers nothing). Examples:
  // tests/dialogs/parsers_test.cc and routing_test.cc.
  const bool invitation_named =
      std::ranges::any_of(words, [](const std::string& w) {
        return std::ranges::any_of(kInvitationStems,
                                   [&](std::string_view stem) { return w.starts_with(stem); });
      });
  const bool meeting_named =
      std::ranges::any_of(words, [](const std::string& w) { return In(w, kMeetingWords); }) &&
      std::ranges::none_of(words, [](const std::string& w) { return In(w, kPastWords); });
  const bool names_invitation =
      pending && !asked && (invitation_named || meeting_named) && SaysOfSelf(words);
  // An apology, its reason and then "cannot" answers too, at the length of
  // a pending answer (kMaxPendingWords, below).
  const bool apologises = pending && !asked && DeclinesAfterApology(words);
  if ((asked || words.size() > kMaxWords) && !opens && !names_invitation && !apologises) {
    return std::nullopt;
  }
  if (shape.words > kMaxPendingWords && !names_invitation) return std::nullopt;
  if ((attend || cannot) && (pending || opens)) {
    RsvpAnswer out;
    out.answer = negated || cannot ? "tidak" : "hadir";
    if (out.answer == "tidak") out.reason = Reason(text);
    // "Cannot" said further in, with no word of coming and no invitation
    // named: the words before may be about something else ("BLT saya belum
    // cair, saya sakit, ga bisa kerja").
    out.partial = !opens && !names_invitation && !attend;
    return out;
  }
  if (!pending || asked || words.size() > 10) return std::nullopt;
  YesNo yn = ParseYesNo(text);
  if (yn == YesNo::kUnknown) return std::nullopt;
  RsvpAnswer out;
  out.answer = yn == YesNo::kYes ? "hadir" : "tidak";
  if (out.answer == "tidak") out.reason = Reason(text);
  return out;
}

// The sentences of `text` (ended by ".", "?", "!" or a line break),
// trimmed, with whether each ended with a question mark.
std::vector<std::pair<std::string, bool>> Sentences(std::string_view text) {
  std::vector<std::pair<std::string, bool>> out;
  for (TextPiece& piece : SplitAt(text, ".?!")) out.emplace_back(std::move(piece.text), piece.end == '?');
  return out;
}

}  // namespace

std::optional<RsvpAnswer> ParseRsvp(std::string_view text, bool pending) {
  if (std::optional<RsvpAnswer> whole = ParseWhole(text, pending)) return whole;
  // To a pending invitation, a short first or last sentence that answers
  // on its own answers the message: "ok beta hadir. tapi rapat di balai
  // dusun ko di rumah bapa kadus?", "Sabtu niku kulo tasih ten pasar ...
  // Mboten saged." A message that reports wrongdoing answers nothing.
  constexpr size_t kSentenceWords = 6;
  if (!pending) return std::nullopt;
  std::vector<std::string> words = Words(ExpandAbbreviations(NormalizeText(text)));
  if (std::ranges::any_of(words, [](const std::string& w) { return In(w, kReportWords); }) ||
      ShapeOf(text).Exceeds(kMaxPendingWords)) {
    return std::nullopt;
  }
  // "beta bisa", "kulo saged": the person says they can.
  const auto says_can = [](const std::vector<std::string>& said) {
    return !said.empty() && said.size() <= 3 && IsCan(said.back()) &&
           std::all_of(said.begin(), said.end() - 1, [](const std::string& w) {
             return InEither(w, kSelf) || In(w, kOpeners);
           });
  };
  const std::vector<std::pair<std::string, bool>> sentences = Sentences(text);
  if (sentences.size() >= 2) {
    for (const auto* sentence : {&sentences.front(), &sentences.back()}) {
      if (sentence->second || Words(sentence->first).size() > kSentenceWords) continue;
      const std::vector<std::string> said =
          Words(ExpandAbbreviations(NormalizeText(sentence->first)));
      // "Mungkin. Tergantung bini su melahirkan ato belum."
      if (sentence == &sentences.front() && said.size() == 1 && In(said[0], kMaybe)) {
        return RsvpAnswer{kRsvpUndecided, "", true};
      }
      if (sentence == &sentences.front() && says_can(said)) return RsvpAnswer{"hadir", "", true};
      if (std::optional<RsvpAnswer> answer = ParseWhole(sentence->first, pending)) {
        if (answer->answer == "tidak") answer->reason = Reason(text);
        answer->partial = true;
        return answer;
      }
    }
  }
  if (text.find('?') != std::string_view::npos) return std::nullopt;
  if (says_can(words)) return RsvpAnswer{"hadir", ""};
  // A reason for staying away, then an apology to close the message:
  // "Sabtu niku pas derep pak, ... kesel sanget. Ngapunten". Courtesy
  // words may follow the apology.
  constexpr std::string_view kClosing[] = {"ya", "nggih", "ibu", "bapak", "pak", "bu", "mas",
                                           "mbak", "kak", "tuang", "bapa", "mama", "e"};
  size_t end = words.size();
  while (end > 0 && In(words[end - 1], kClosing)) --end;
  const bool closes_apologising = end > 0 && InEither(words[end - 1], kApology);
  constexpr size_t kOfficialWithin = 3;
  bool away = false;
  for (size_t i = 0; i < end; ++i) {
    if (!In(words[i], kAwayReasons)) continue;
    bool theirs = false;
    for (size_t j = i > kOfficialWithin ? i - kOfficialWithin : 0; j < i; ++j) {
      theirs = theirs || In(words[j], kOfficials);
    }
    away = away || !theirs;
  }
  const bool coming = std::ranges::any_of(words, [](const std::string& w) { return IsAttend(w); });
  if (closes_apologising && away && !coming) return RsvpAnswer{"tidak", Reason(text), true};
  return std::nullopt;
}

}  // namespace suaradesa::dialogs
