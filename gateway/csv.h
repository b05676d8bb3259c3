// CSV and time-stamp formatting shared by every export (the CLI's
// `export cases|messages` and the desk's /api/v1/export/cases.csv).
#ifndef SUARADESA_GATEWAY_CSV_H_
#define SUARADESA_GATEWAY_CSV_H_

#include <cstdint>
#include <string>

namespace suaradesa {

// One CSV field: quoted when it holds a comma, quote or line break, and
// prefixed with ' when it would start a spreadsheet formula (=, +, -, @).
std::string CsvField(const std::string& s);

// Unix ms as "2026-11-23T02:00:00Z".
std::string IsoUtc(int64_t ms);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_CSV_H_
