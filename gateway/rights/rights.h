// Rights: residents' data rights under UU PDP (issue 19; README "Residents'
// data rights (UU PDP)").
//
//  - Informed: the privacy notice goes before the first reply to every new
//    contact, once per contact ever (a store record decides: RightsTx::
//    MarkPrivacyNoticed); PRIVASI repeats it with the operator's contact
//    (config privacy.contact).
//  - Access: DATA SAYA tells the sender what is held about them: their
//    messages, cases with status, groups, opt-out, language. Only the
//    contact's own; addresses are never listed, not even the sender's other
//    ones (a merged contact's second address may be a number they no longer
//    hold).
//  - Erasure: HAPUS DATA, confirmed with YA, or an admin through the desk
//    (POST /api/v1/contacts/{pseudonym}/erase): RightsTx::EraseContact, and
//    an "erase" audit record (when, by whom; never what). The question before
//    YA is the last message the person gets: afterwards there is no address
//    to send to. On SQLite the WAL is then truncated (ForgetErased), so no
//    page from before stays in it; secure_delete zeroes freed bytes.
//
// Thread safety: all methods may be called from many threads at once.
#ifndef SUARADESA_GATEWAY_RIGHTS_RIGHTS_H_
#define SUARADESA_GATEWAY_RIGHTS_RIGHTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "storage/store.h"

namespace suaradesa::rights {

// The outbox payload "key" and catalogue key of the privacy notice.
inline constexpr char kNoticeKey[] = "privacy.notice";
// The audit actor of an erasure the resident asked for by message.
inline constexpr char kResidentActor[] = "resident";

class Rights {
 public:
  // All references must outlive this object.
  Rights(storage::Store& store, const dialogs::Dialogs& dialogs, desk::Desk& desk,
         const Config& config, const Clock& clock, Log& log);

  // The privacy notice when `contact` was never sent it (recorded in tx
  // now); nullopt when it was, or when the config turns it off.
  storage::Result<std::optional<dialogs::Reply>> FirstNotice(storage::RightsTx& tx,
                                                             const storage::Contact& contact,
                                                             int64_t now) const;
  // PRIVASI: the notice, and the operator's contact when configured.
  dialogs::Reply PrivacyReply(const std::string& language) const;
  // DATA SAYA: a summary, then the contact's cases, each message within one
  // SMS segment where the texts allow.
  storage::Result<std::vector<dialogs::Reply>> AccessReplies(storage::RightsTx& tx,
                                                             const storage::Contact& contact) const;
  // The same for `data`, in `language`.
  std::vector<dialogs::Reply> AccessText(const storage::ContactData& data,
                                         const std::string& language) const;
  // Erases the contact in tx and records who did it. Call ForgetErased once
  // tx has committed.
  storage::Result<storage::ErasureReport> Erase(storage::Tx& tx, int64_t contact_id,
                                                const std::string& actor, int64_t now);
  // After an erasure committed: truncates SQLite's WAL (logged when a reader
  // kept it from finishing; the next erasure or checkpoint tries again).
  void ForgetErased();

  // POST /api/v1/contacts/{pseudonym}/erase (admins only): erases the
  // reporter whose case shows `pseudonym` ("Pelapor-7F3A"). `ticket`, when
  // given, names that case: pseudonyms are short, two cases of different
  // reporters may share one (then 409 without a ticket).
  desk::DeskResult<nlohmann::json> EraseByPseudonym(const desk::Actor& actor,
                                                    const std::string& pseudonym,
                                                    const std::string& ticket);
  // GET /api/v1/audit (admins only).
  desk::DeskResult<nlohmann::json> ListAudit(const desk::Actor& actor,
                                             const storage::AuditQuery& query);

 private:
  std::string Date(int64_t ms) const;

  storage::Store& store_;
  const dialogs::Dialogs& dialogs_;
  desk::Desk& desk_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
};

// The audit as CSV (UTF-8, header row): at (ISO 8601 UTC), actor, action,
// ticket. `suaradesa export audit` writes it.
std::string AuditCsv(const std::vector<storage::AuditEntry>& entries);

}  // namespace suaradesa::rights

#endif  // SUARADESA_GATEWAY_RIGHTS_RIGHTS_H_
