// junit.cc: see junit.h.
#include "tools/testing/junit.h"

#include <cstdio>

namespace trailwatch::spec {

namespace {

// XML 1.0 text: & < > " escaped; control characters but tab, LF and CR, and invalid UTF-8, become U+FFFD.
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD";
          else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n == 3) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
      // U+FFFE and U+FFFF are not XML characters.
      ok = ok && !(c == 0xEF && c1 == 0xBF && static_cast<unsigned char>(s[i + 2]) >= 0xBE);
    }
    if (ok && n == 4) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!ok) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string ClassName(const std::string& path) {
  std::string c = path;
  for (const char* ext : {".tw.yaml", ".tw.yml", ".yaml", ".yml"}) {
    const std::string e = ext;
    if (c.size() > e.size() && c.compare(c.size() - e.size(), e.size(), e) == 0) {
      c.resize(c.size() - e.size());
      break;
    }
  }
  while (c.rfind("./", 0) == 0) c.erase(0, 2);
  for (char& ch : c) {
    if (ch == '/' || ch == '\\') ch = '.';
  }
  return c;
}

}  // namespace

std::string FailureText(const Failure& f, const std::string& indent) {
  std::string out = f.message + "\n";
  if (!f.expected.empty() || !f.got.empty()) {
    out += indent + "expected: " + f.expected + "\n" + indent + "got:      " + f.got + "\n";
  }
  if (!f.where.file.empty()) out += indent + "at " + f.where.Text() + "\n";
  size_t start = 0;
  while (start < f.explanation.size()) {
    size_t end = f.explanation.find('\n', start);
    if (end == std::string::npos) end = f.explanation.size();
    out += indent + f.explanation.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string JunitXml(const std::vector<FileOutcome>& files) {
  size_t tests = 0, failures = 0, errors = 0;
  double seconds = 0;
  for (const FileOutcome& f : files) {
    tests += f.tests.size();
    errors += f.setup_error ? 1 : 0;
    seconds += f.seconds;
    for (const TestOutcome& t : f.tests) failures += t.passed() ? 0 : 1;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"trailwatch test\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"" + Seconds(seconds) + "\">\n";
  for (const FileOutcome& f : files) {
    size_t failed = 0;
    for (const TestOutcome& t : f.tests) failed += t.passed() ? 0 : 1;
    out += "  <testsuite name=\"" + Xml(f.path) + "\" tests=\"" + std::to_string(f.setup_error ? 1 : f.tests.size()) +
           "\" failures=\"" + std::to_string(failed) + "\" errors=\"" + (f.setup_error ? "1" : "0") +
           "\" skipped=\"0\" time=\"" + Seconds(f.seconds) + "\" file=\"" + Xml(f.path) + "\">\n";
    const std::string cls = Xml(ClassName(f.path));
    if (f.setup_error) {
      out += "    <testcase name=\"setup\" classname=\"" + cls + "\" file=\"" + Xml(f.path) + "\" time=\"0.000\">\n";
      out += "      <error message=\"the setup cannot be loaded\" type=\"setup\">" + Xml(*f.setup_error) +
             "</error>\n    </testcase>\n";
    }
    for (const TestOutcome& t : f.tests) {
      out += "    <testcase name=\"" + Xml(t.name) + "\" classname=\"" + cls + "\" file=\"" + Xml(f.path) +
             "\" line=\"" + std::to_string(t.where.line) + "\" time=\"" + Seconds(t.seconds) + "\"";
      if (t.passed()) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      for (const Failure& fl : t.failures) {
        out += "      <failure message=\"" + Xml(fl.message) + "\" type=\"" + Xml(t.kind) + "\">" +
               Xml(FailureText(fl, "")) + "</failure>\n";
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace trailwatch::spec
