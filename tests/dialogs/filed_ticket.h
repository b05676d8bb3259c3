// The caller's part of the create_case contract (dialogs/engine.h): a
// dialog that filed its case and goes on asking keeps the ticket in the
// session var "_ticket". Test harnesses stand in for the gateway with the
// first ticket of each type.
#ifndef SUARADESA_TESTS_DIALOGS_FILED_TICKET_H_
#define SUARADESA_TESTS_DIALOGS_FILED_TICKET_H_

#include "dialogs/engine.h"

namespace suaradesa::dialogs {

inline void KeepFiledTicket(StepResult& result) {
  for (const Effect& e : result.effects) {
    const auto* filed = std::get_if<CreateCase>(&e.value);
    if (filed == nullptr || !result.session.open()) continue;
    result.session.vars["_ticket"] = filed->type == CaseType::kUsulan ? "USL-1" : "ADU-1";
  }
}

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_TESTS_DIALOGS_FILED_TICKET_H_
