// CSV and time-stamp formatting shared by every export (the CLI's
// `export cases|messages` and the desk's /api/v1/export/cases.csv).
#ifndef SUARADESA_GATEWAY_CSV_H_
#define SUARADESA_GATEWAY_CSV_H_

#include <cstdint>
#include <string>

namespace suaradesa {

// One CSV field: quoted when it holds a comma, quote or line break, and
// prefixed with ' when a spreadsheet could read it as a formula: when it
// starts with = + - @ (OWASP's list), with TAB, CR, LF or NUL (which
// spreadsheets skip or treat as a formula start), or with spaces before
// = + - @. Every column is guarded alike, so a value such as "-" or "-5"
// comes out as "'-" or "'-5"; no column of our exports is a number.
std::string CsvField(const std::string& s);

// Unix ms as "2026-11-23T02:00:00Z".
std::string IsoUtc(int64_t ms);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_CSV_H_
