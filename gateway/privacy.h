// Personal numbers typed into free text: what staff-facing views and
// exports show instead of a resident's (or anyone's) phone number or NIK.
#ifndef SUARADESA_GATEWAY_PRIVACY_H_
#define SUARADESA_GATEWAY_PRIVACY_H_

#include <string>

namespace suaradesa {

// Returns text with every Indonesian phone number replaced by "[phone]" and
// every 16-digit number (NIK, KK number; whole, or in groups joined by one
// separator such as "3510 0712 0485 0001") by "[nik]". No digit of a masked
// number stays visible: the reader may be the person a complaint is about,
// and a few known digits would confirm a guess at who wrote it. (Logs use
// MaskAddress, which keeps the last four digits for the operator.)
//
// Phone numbers are recognised in the forms residents write them:
//   mobile    08xx..., 628xx..., +628xx...      (10-13 digits from the 0)
//   landline  0xx / 0xxx area code, "(0333) 421234", "021-5551234", +62 2x...
// with single spaces, dots or dashes between groups ("0812-3456-7890",
// "+62 812 3456 7890"). Not masked: money ("Rp15.000.000", "1.500.000,-"),
// dates ("12-11-2026"), times, ticket numbers ("ADU-12"), RT/RW numbers and
// any number that does not start like a phone number, such as bank account
// numbers ("131-000-7252-937"). Linear in the length of text.
std::string MaskPhoneNumbers(const std::string& text);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_PRIVACY_H_
