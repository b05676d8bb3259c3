// Small helpers of the storage records that do not depend on a backend.
#include "storage/store.h"

#include <string>

namespace suaradesa::storage {

const char* TicketPrefix(CaseType type) {
  switch (type) {
    case CaseType::kUsulan:
      return "USL";
    case CaseType::kPengaduan:
      return "ADU";
  }
  return "USL";
}

const char* CaseTypeName(CaseType type) {
  switch (type) {
    case CaseType::kUsulan:
      return "usulan";
    case CaseType::kPengaduan:
      return "pengaduan";
  }
  return "usulan";
}

std::string Case::Ticket() const {
  return std::string(TicketPrefix(type)) + "-" + std::to_string(number);
}

}  // namespace suaradesa::storage
