#include "storage/sql/rows.h"

#include <string>

namespace suaradesa::storage::sql_rows {

void BindId(Statement& s, int index, int64_t id) {
  if (id == 0) {
    s.BindNull(index);
  } else {
    s.BindInt(index, id);
  }
}

void BindProviderId(Statement& s, int index, const std::string& provider_id) {
  if (provider_id.empty()) {
    s.BindNull(index);
  } else {
    s.BindText(index, provider_id);
  }
}

CaseType CaseTypeFromName(const std::string& name) {
  return name == CaseTypeName(CaseType::kPengaduan) ? CaseType::kPengaduan : CaseType::kUsulan;
}

int DeliveryRank(const std::string& status) {
  if (status == "queued") return 0;
  if (status == "sent") return 1;
  if (status == "delivered") return 2;
  if (status == "read") return 3;
  return -1;
}

Contact ReadContact(const Statement& s) {
  Contact c;
  c.id = s.ColumnInt(0);
  c.name = s.ColumnText(1);
  c.language = s.ColumnText(2);
  c.opted_out = s.ColumnInt(3) != 0;
  c.created_at = s.ColumnInt(4);
  c.privacy_noticed = s.ColumnInt(5) != 0;
  return c;
}

Message ReadMessage(const Statement& s) {
  Message m;
  m.id = s.ColumnInt(0);
  m.contact_id = s.ColumnInt(1);
  m.channel_id = s.ColumnText(2);
  m.direction = s.ColumnText(3) == "out" ? Direction::kOut : Direction::kIn;
  m.provider_id = s.ColumnText(4);
  m.text = s.ColumnText(5);
  m.status = s.ColumnText(6);
  m.created_at = s.ColumnInt(7);
  m.outbox_id = s.ColumnInt(8);
  m.error_code = s.ColumnText(9);
  m.error_reason = s.ColumnText(10);
  return m;
}

Case ReadCase(const Statement& s) {
  Case c;
  c.id = s.ColumnInt(0);
  c.type = CaseTypeFromName(s.ColumnText(1));
  c.number = s.ColumnInt(2);
  c.status = s.ColumnText(3);
  c.contact_id = s.ColumnInt(4);
  c.channel_id = s.ColumnText(5);
  c.area_code = s.ColumnText(6);
  c.desa_code = s.ColumnText(7);
  c.confidential = s.ColumnInt(8) != 0;
  c.summary = s.ColumnText(9);
  c.fields_json = s.ColumnText(10);
  c.created_at = s.ColumnInt(11);
  c.updated_at = s.ColumnInt(12);
  return c;
}

OutboxItem ReadOutbox(const Statement& s) {
  OutboxItem o;
  o.id = s.ColumnInt(0);
  o.contact_id = s.ColumnInt(1);
  o.channel_id = s.ColumnText(2);
  o.address = s.ColumnText(3);
  o.kind = s.ColumnInt(4) == 1 ? OutboxKind::kBroadcast : OutboxKind::kReply;
  o.payload_json = s.ColumnText(5);
  o.state = s.ColumnText(6);
  o.attempts = static_cast<int>(s.ColumnInt(7));
  o.created_at = s.ColumnInt(8);
  o.next_attempt_at = s.ColumnInt(9);
  o.last_error = s.ColumnText(10);
  o.provider_id = s.ColumnText(11);
  o.message_id = s.ColumnInt(12);
  return o;
}

}  // namespace suaradesa::storage::sql_rows
