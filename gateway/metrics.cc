#include "gateway/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace suaradesa {

void MetricsRegistry::Counter(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Find(name) != nullptr) return;
  Family f;
  f.name = name;
  f.help = help;
  families_.push_back(std::move(f));
}

void MetricsRegistry::Histogram(const std::string& name, const std::string& help,
                                std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Find(name) != nullptr) return;
  Family f;
  f.name = name;
  f.help = help;
  f.histogram = true;
  f.bounds = std::move(bounds);
  families_.push_back(std::move(f));
}

MetricsRegistry::Family* MetricsRegistry::Find(const std::string& name) {
  for (Family& f : families_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const MetricsRegistry::Family* MetricsRegistry::Find(const std::string& name) const {
  for (const Family& f : families_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

void MetricsRegistry::Add(const std::string& name, const MetricLabels& labels, int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  Family* f = Find(name);
  if (f == nullptr || f->histogram) return;
  f->counters[labels] += n;
}

void MetricsRegistry::Observe(const std::string& name, const MetricLabels& labels,
                              double value) {
  std::lock_guard<std::mutex> lock(mu_);
  Family* f = Find(name);
  if (f == nullptr || !f->histogram) return;
  HistogramSample& h = f->histograms[labels];
  if (h.counts.empty()) h.counts.assign(f->bounds.size() + 1, 0);
  size_t i = 0;
  while (i < f->bounds.size() && value > f->bounds[i]) ++i;
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

int64_t MetricsRegistry::Value(const std::string& name, const MetricLabels& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Family* f = Find(name);
  if (f == nullptr) return 0;
  auto it = f->counters.find(labels);
  return it == f->counters.end() ? 0 : it->second;
}

void MetricsRegistry::Render(std::ostream& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Family& f : families_) {
    WriteMetricHeader(out, f.name, f.histogram ? "histogram" : "counter", f.help);
    if (!f.histogram) {
      for (const auto& [labels, n] : f.counters) {
        WriteMetricSample(out, f.name, labels, static_cast<double>(n));
      }
      continue;
    }
    for (const auto& [labels, h] : f.histograms) {
      int64_t cumulative = 0;
      for (size_t i = 0; i <= f.bounds.size(); ++i) {
        cumulative += h.counts[i];
        MetricLabels with_le = labels;
        with_le.emplace_back("le", i < f.bounds.size() ? FormatMetricValue(f.bounds[i]) : "+Inf");
        WriteMetricSample(out, f.name + "_bucket", with_le, static_cast<double>(cumulative));
      }
      WriteMetricSample(out, f.name + "_sum", labels, h.sum);
      WriteMetricSample(out, f.name + "_count", labels, static_cast<double>(h.count));
    }
  }
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatLabels(const MetricLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  // The shortest form that reads back the same: 0.0025, not 0.0025000000000000001.
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buf;
}

void WriteMetricHeader(std::ostream& out, const std::string& name, const std::string& type,
                       const std::string& help) {
  std::string escaped;
  for (char c : help) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  out << "# HELP " << name << ' ' << escaped << "\n# TYPE " << name << ' ' << type << '\n';
}

void WriteMetricSample(std::ostream& out, const std::string& name, const MetricLabels& labels,
                       double value) {
  out << name << FormatLabels(labels) << ' ' << FormatMetricValue(value) << '\n';
}

}  // namespace suaradesa
