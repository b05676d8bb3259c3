// Metrics: counters and histograms kept in memory, rendered for /metrics in
// the Prometheus text exposition format 0.0.4.
//
// A family is declared once (Counter, Histogram) with its help text; samples
// are then added by label values. Render writes every declared family in
// declaration order: "# HELP", "# TYPE", then one line per label set (for a
// histogram, cumulative _bucket lines ending with le="+Inf", then _sum and
// _count). Families whose values live elsewhere (the outbox worker, the
// store) are written with the free functions below.
//
// Thread safety: every member function may be called from any thread.
#ifndef SUARADESA_GATEWAY_METRICS_H_
#define SUARADESA_GATEWAY_METRICS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suaradesa {

// (name, value) pairs in the order they are written.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// The webhook latency buckets, in seconds.
inline const std::vector<double> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,   0.25,   0.5,   1,    2.5};

class MetricsRegistry {
 public:
  // Declares a counter family. REQUIRES: name not declared before.
  void Counter(const std::string& name, const std::string& help);
  // Declares a histogram family with these upper bounds (ascending; +Inf is
  // implied). REQUIRES: name not declared before.
  void Histogram(const std::string& name, const std::string& help, std::vector<double> bounds);

  // Adds n to the counter's sample with these labels. Undeclared names are
  // ignored.
  void Add(const std::string& name, const MetricLabels& labels, int64_t n = 1);
  // Records one observation in the histogram's sample with these labels.
  void Observe(const std::string& name, const MetricLabels& labels, double value);

  // The counter's value for these labels (0 when never added). For tests.
  int64_t Value(const std::string& name, const MetricLabels& labels) const;

  void Render(std::ostream& out) const;

 private:
  struct HistogramSample {
    std::vector<int64_t> counts;  // per bound, not cumulative; last: above every bound
    double sum = 0;
    int64_t count = 0;
  };
  struct Family {
    std::string name;
    std::string help;
    bool histogram = false;
    std::vector<double> bounds;
    std::map<MetricLabels, int64_t> counters;
    std::map<MetricLabels, HistogramSample> histograms;
  };

  Family* Find(const std::string& name);
  const Family* Find(const std::string& name) const;

  mutable std::mutex mu_;
  std::vector<Family> families_;  // guarded by mu_; declaration order
};

// A label value with \, " and newline escaped.
std::string EscapeLabelValue(std::string_view value);
// {a="x",b="y"}, or "" when there are no labels.
std::string FormatLabels(const MetricLabels& labels);
// A sample value: integers without a fraction, +Inf, -Inf, NaN.
std::string FormatMetricValue(double value);
// "# HELP name help" and "# TYPE name type" (help with \ and newline escaped).
void WriteMetricHeader(std::ostream& out, const std::string& name, const std::string& type,
                       const std::string& help);
void WriteMetricSample(std::ostream& out, const std::string& name, const MetricLabels& labels,
                       double value);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_METRICS_H_
