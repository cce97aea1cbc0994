// cli_util.cc: see cli_util.h.
#include "tools/cli_util.h"

#include "patterns/common/nearest.h"
#include "tools/jmespath/jmespath.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace trailwatch::cli {

void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(v);
  const std::string& text = po::validators::get_single_string(values);
  uint64_t n = 0;
  bool ok = !text.empty() && text.size() <= 20;
  for (char c : text) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) {
      ok = false;
      break;
    }
    n = n * 10 + d;
  }
  if (!ok) throw po::invalid_option_value(text);
  v = boost::any(Count{n});
}

std::ostream& operator<<(std::ostream& out, const Count& c) { return out << c.value; }

void GuardStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = open("/dev/null", O_RDONLY);
    if (opened >= 0 && opened != fd) {
      dup2(opened, fd);
      close(opened);
    }
  }
}

bool CheckStdout() {
  errno = 0;
  std::cout.flush();
  int err = errno;
  const bool flushed = std::fflush(stdout) == 0;
  if (err == 0) err = errno;
  if (flushed && !std::ferror(stdout) && !std::cout.fail()) return true;
  if (err == 0) {
    // The failed write happened earlier (a command's own flush) and its errno is gone: ask the descriptor
    // again. The output is already incomplete, so a probe byte cannot make it worse.
    if (write(STDOUT_FILENO, "", 0) < 0 || write(STDOUT_FILENO, "\n", 1) < 0) err = errno;
  }
  if (err == EPIPE) return true;
  std::fprintf(stderr, "trailwatch: error writing to standard output: %s\n",
               err != 0 ? std::strerror(err) : "the output was not written");
  return false;
}

std::string OptionErrorText(const boost::program_options::error& e,
                            const boost::program_options::options_description& desc) {
  std::string text = e.what();
  const auto* unknown = dynamic_cast<const boost::program_options::unknown_option*>(&e);
  if (unknown == nullptr) return text;
  std::string name = unknown->get_option_name();
  while (!name.empty() && name[0] == '-') name.erase(0, 1);
  if (const size_t eq = name.find('='); eq != std::string::npos) name.resize(eq);
  std::vector<std::string> names;
  for (const auto& option : desc.options()) {
    if (!option->long_name().empty()) names.push_back(option->long_name());
  }
  const std::string near = NearestName(name, names);
  if (!near.empty()) text += " (did you mean --" + near + "?)";
  return text;
}

void AddAwsCliOptions(boost::program_options::options_description& desc, const char* request) {
  namespace po = boost::program_options;
  desc.add_options()
      ("help,h", "show this help")
      ("cli-input-json", po::value<std::string>(), request)
      ("generate-cli-skeleton", po::value<std::string>()->implicit_value("input"), "print a request skeleton")
      ("output", po::value<std::string>()->default_value("json"), "output format: json or text (as the AWS CLI's)")
      ("query", po::value<std::string>(), "a JMESPath expression applied to the output, as the AWS CLI's")
      ("debug", "print the request the AWS CLI would send, on stderr")
      ("endpoint-url", po::value<std::string>(), "the endpoint --debug shows (checked as aws checks it)")
      ("region", po::value<std::string>(), "the Region --debug shows")
      ("profile", po::value<std::string>(), "ignored (offline)")
      ("no-cli-pager", "ignored")
      ("no-paginate", "ignored (one response)")
      ("color", po::value<std::string>(), "on | off | auto (json and text have no colour)")
      ("no-verify-ssl", "ignored (offline)")
      ("no-sign-request", "ignored (offline)")
      ("ca-bundle", po::value<std::string>(), "ignored (offline)")
      ("cli-read-timeout", po::value<std::string>(), "ignored (offline)")
      ("cli-connect-timeout", po::value<std::string>(), "ignored (offline)")
      ("cli-binary-format", po::value<std::string>(), "ignored (no blob parameters)")
      ("cli-auto-prompt", "ignored")
      ("no-cli-auto-prompt", "ignored");
}

bool ParseAwsCliCommand(int argc, char** argv, const boost::program_options::options_description& desc,
                        const char* usage, const nlohmann::ordered_json& input_skeleton,
                        const nlohmann::ordered_json& output_skeleton, boost::program_options::variables_map* vm,
                        AwsGlobals* globals) {
  namespace po = boost::program_options;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    throw UsageError{OptionErrorText(e, desc) + "\n" + usage};
  }
  if (vm->count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  if (vm->count("generate-cli-skeleton")) {
    const std::string what = (*vm)["generate-cli-skeleton"].as<std::string>();
    if (what != "input" && what != "output") {
      throw UsageError{"argument --generate-cli-skeleton: Invalid choice, valid choices are: input | output"};
    }
    if (what == "input") {
      PrintAwsJson(input_skeleton);
    } else {
      if (const int code = PrintAwsResponse(output_skeleton, AwsGlobalsOf(*vm)); code != kExitOk) {
        throw UsageError{"", code};
      }
    }
    return false;
  }
  *globals = AwsGlobalsOf(*vm);
  return true;
}

AwsGlobals AwsGlobalsOf(const boost::program_options::variables_map& vm) {
  AwsGlobals out;
  out.format = vm.count("output") ? vm["output"].as<std::string>() : "json";
  if (out.format != "json" && out.format != "text" && out.format != "table" && out.format != "yaml" &&
      out.format != "yaml-stream") {
    throw UsageError{"trailwatch: error: argument --output: Invalid choice, valid choices are:\n\njson | text | table | "
                     "yaml | yaml-stream"};
  }
  if (out.format != "json" && out.format != "text") {
    throw UsageError{"--output " + out.format + " is not supported yet: trailwatch prints json and text"};
  }
  if (vm.count("color")) {
    const std::string c = vm["color"].as<std::string>();
    if (c != "on" && c != "off" && c != "auto") {
      throw UsageError{"trailwatch: error: argument --color: Invalid choice, valid choices are:\n\non | off | auto"};
    }
  }
  if (vm.count("cli-binary-format")) {
    const std::string f = vm["cli-binary-format"].as<std::string>();
    if (f != "base64" && f != "raw-in-base64-out") {
      throw UsageError{"trailwatch: error: argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64 | "
                       "raw-in-base64-out"};
    }
  }
  out.debug = vm.count("debug") > 0;
  out.region = vm.count("region") ? vm["region"].as<std::string>() : "";
  if (out.region.empty()) {
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      const char* v = std::getenv(name);
      if (v != nullptr && *v != '\0') {
        out.region = v;
        break;
      }
    }
  }
  if (out.region.empty()) out.region = "us-east-1";
  if (vm.count("endpoint-url")) {
    out.endpoint_url = vm["endpoint-url"].as<std::string>();
    const size_t colon = out.endpoint_url.find("://");
    if (colon == std::string::npos || colon == 0) {
      throw UsageError{"\nBad value for --endpoint-url \"" + out.endpoint_url +
                       "\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/"};
    }
  }
  if (vm.count("query")) {
    const std::string query = vm["query"].as<std::string>();
    auto e = jmespath::Expression::Compile(query);  // `--query ''` too: the empty expression is refused
    if (!e.ok()) throw UsageError{"\nBad value for --query " + query + ": " + e.error().aws_message};
    out.query = std::move(e).value();
  }
  return out;
}

void PrintAwsDebugRequest(const AwsGlobals& globals, const std::string& service, const std::string& target,
                          const nlohmann::ordered_json& body) {
  if (!globals.debug) return;
  const std::string url =
      globals.endpoint_url.empty() ? "https://" + service + "." + globals.region + ".amazonaws.com/" : globals.endpoint_url;
  std::cerr << "trailwatch: debug: offline: nothing is sent; the AWS CLI would POST to " << url << "\n"
            << "trailwatch: debug: X-Amz-Target: " << target << "\n"
            << "trailwatch: debug: Content-Type: application/x-amz-json-1.1\n"
            << "trailwatch: debug: body: " << jmespath::PythonJsonDumps(body, /*spaced=*/true) << "\n";
}

namespace {

bool IsScalar(const nlohmann::ordered_json& v) { return !v.is_object() && !v.is_array(); }
std::string PyText(const nlohmann::ordered_json& v) { return jmespath::PythonStr(v); }
std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void FormatText(const nlohmann::ordered_json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys);

void FormatScalarList(const std::vector<const nlohmann::ordered_json*>& elements,
                      const std::optional<std::string>& identifier, std::string& out) {
  if (identifier) {
    for (const auto* e : elements) out += Upper(*identifier) + "\t" + PyText(*e) + "\n";
    return;
  }
  for (size_t i = 0; i < elements.size(); ++i) out += (i ? "\t" : "") + PyText(*elements[i]);
  out += "\n";
}

void FormatList(const nlohmann::ordered_json& item, const std::optional<std::string>& identifier, std::string& out) {
  if (item.empty()) return;
  bool any_dict = false, any_list = false;
  for (const auto& e : item) {
    any_dict = any_dict || e.is_object();
    any_list = any_list || e.is_array();
  }
  if (any_dict) {
    std::set<std::string> keys;  // every scalar key of the dicts, sorted (non-dicts have none)
    for (const auto& e : item) {
      if (!e.is_object()) continue;
      for (auto it = e.begin(); it != e.end(); ++it) {
        if (IsScalar(it.value())) keys.insert(it.key());
      }
    }
    const std::vector<std::string> all(keys.begin(), keys.end());
    for (const auto& e : item) FormatText(e, out, identifier, &all);
    return;
  }
  std::vector<const nlohmann::ordered_json*> scalars, others;
  for (const auto& e : item) (IsScalar(e) ? scalars : others).push_back(&e);
  if (any_list) {
    if (!scalars.empty()) FormatScalarList(scalars, identifier, out);
    for (const auto* e : others) FormatText(*e, out, identifier, nullptr);
    return;
  }
  FormatScalarList(scalars, identifier, out);
}

void FormatDict(const nlohmann::ordered_json& item, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys, std::string& out) {
  std::vector<std::string> scalars;
  std::vector<std::pair<std::string, const nlohmann::ordered_json*>> others;
  if (scalar_keys == nullptr) {
    std::vector<std::string> keys;
    for (auto it = item.begin(); it != item.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    for (const std::string& k : keys) {
      const auto& v = item[k];
      if (IsScalar(v)) {
        scalars.push_back(PyText(v));
      } else {
        others.emplace_back(k, &v);
      }
    }
  } else {
    for (const std::string& k : *scalar_keys) {
      const auto it = item.find(k);
      scalars.push_back(it == item.end() ? std::string() : PyText(*it));
    }
    std::vector<std::string> rest;
    for (auto it = item.begin(); it != item.end(); ++it) {
      if (!std::binary_search(scalar_keys->begin(), scalar_keys->end(), it.key())) rest.push_back(it.key());
    }
    std::sort(rest.begin(), rest.end());
    for (const std::string& k : rest) others.emplace_back(k, &item[k]);
  }
  if (!scalars.empty()) {
    if (identifier) scalars.insert(scalars.begin(), Upper(*identifier));
    for (size_t i = 0; i < scalars.size(); ++i) out += (i ? "\t" : "") + scalars[i];
    out += "\n";
  }
  for (const auto& [key, value] : others) FormatText(*value, out, key, nullptr);
}

void FormatText(const nlohmann::ordered_json& item, std::string& out, const std::optional<std::string>& identifier,
                const std::vector<std::string>* scalar_keys) {
  if (item.is_object()) {
    FormatDict(item, identifier, scalar_keys, out);
  } else if (item.is_array()) {
    FormatList(item, identifier, out);
  } else {
    out += PyText(item) + "\n";
  }
}

}  // namespace

std::string FormatAwsText(const nlohmann::ordered_json& value) {
  std::string out;
  FormatText(value, out, std::nullopt, nullptr);
  return out;
}

namespace {
void PrintAs(const nlohmann::ordered_json& value, const std::string& format) {
  if (format == "text") {
    std::cout << FormatAwsText(value);
  } else if (value != nlohmann::ordered_json::object()) {  // aws prints nothing for {} (no response body)
    PrintAwsJson(value);
  }
}
}  // namespace

int PrintAwsResponse(const nlohmann::ordered_json& response, const AwsGlobals& output) {
  if (!output.query) {
    PrintAs(response, output.format);
    return kExitOk;
  }
  auto r = output.query->Search(response);
  if (!r.ok()) {
    std::cerr << "\n" << r.error().aws_message << "\n";
    return kExitAwsOther;
  }
  PrintAs(r.value(), output.format);
  return kExitOk;
}

std::string LoadParamValue(const std::string& value) {
  std::string path;
  if (value.starts_with("file://")) path = value.substr(7);
  else if (value.starts_with("fileb://")) path = value.substr(8);
  else return value;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError{"Error parsing parameter: Unable to load paramfile " + value + ": [Errno 2] No such file or directory: '" +
                     path + "'"};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::ordered_json LoadCliInputJson(const std::string& value) {
  const std::string text = LoadParamValue(value);
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    throw UsageError{"Error parsing parameter 'cli-input-json': Invalid JSON received."};
  }
  if (!j.is_object()) {
    throw UsageError{"Error parsing parameter 'cli-input-json': Invalid JSON received: expected an object."};
  }
  return j;
}

void PrintAwsJson(const nlohmann::ordered_json& j) {
  std::cout << j.dump(4, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  std::cout.flush();
}

void PrintAwsError(std::string_view operation, std::string_view pattern, const Diagnostic& d) {
  std::cerr << "\nAn error occurred (" << d.exception << ") when calling the " << operation
            << " operation: " << (d.aws_message.empty() ? d.message : d.aws_message) << "\n";
  std::cerr << RenderDiagnostic(pattern, d);
}

void PrintWarnings(std::string_view pattern, const std::vector<Diagnostic>& warnings) {
  for (const Diagnostic& w : warnings) {
    std::string text = RenderDiagnostic(pattern, w);
    if (text.starts_with("error: ")) text.replace(0, 7, "warning: ");
    std::cerr << text;
  }
}

void PrintToolError(std::string_view message) { std::cerr << "trailwatch: " << message << "\n"; }

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

engine::ReaderOptions ReaderOptionsFromEnvironment() {
  engine::ReaderOptions options;
  options.prefetch = engine::FastPathEnabled(engine::FastPath::kPrefetch);
  if (!engine::FastPathEnabled(engine::FastPath::kWholeFile)) options.windowed_from = 0;
  return options;
}

}  // namespace trailwatch::cli
