// cli_util.h: what every trailwatch command shares: AWS-CLI parameter conventions (file://, --cli-input-json),
// AWS-CLI error texts and exit codes, JSON printing, caret diagnostics.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fast_paths.h"
#include "engine/input/reader.h"
#include "patterns/common/diagnostic.h"
#include "tools/jmespath/jmespath.h"

namespace trailwatch::cli {

// Exit codes. AWS-mirroring commands use the AWS CLI v2 codes; stream tools (grep) use grep's.
inline constexpr int kExitOk = 0;
inline constexpr int kExitNoMatch = 1;       // grep: nothing matched
inline constexpr int kExitError = 2;         // grep: usage, I/O or pattern error
inline constexpr int kExitAwsUsage = 252;    // AWS CLI: command syntax or parameter validation failed
inline constexpr int kExitAwsService = 254;  // AWS CLI: the service returned an error (e.g. invalid pattern)
inline constexpr int kExitAwsOther = 255;    // AWS CLI: any other failure

// A whole-number option value (digits only, at most 2^64 - 1). Boost.Program_options would read "-5" into an
// unsigned type as 2^64 - 5; this rejects it as an invalid argument of its option.
struct Count {
  uint64_t value = 0;
};
void validate(boost::any& v, const std::vector<std::string>& values, Count*, int);
std::ostream& operator<<(std::ostream& out, const Count& c);

// Thrown by commands for usage errors; main() prints it and exits with `code`.
struct UsageError {
  std::string message;
  int code = kExitAwsUsage;
};

// AWS CLI parameter value: "file://path" is replaced by the file's text, "fileb://path" by its bytes.
// Throws UsageError when the file cannot be read.
std::string LoadParamValue(const std::string& value);

// The options every AWS-CLI-mirroring command takes: --help, --cli-input-json and --cli-input-yaml (`request`
// describes their keys), --generate-cli-skeleton [input|output|yaml-input], --output
// json|text|table|yaml|yaml-stream, --query (JMESPath, tools/jmespath), --color (table), --debug,
// --endpoint-url, --region; and the AWS CLI's other global options, accepted where they mean nothing offline
// (--profile, --no-cli-pager, --no-paginate, --no-verify-ssl, --no-sign-request, --ca-bundle,
// --cli-read-timeout, --cli-connect-timeout, --cli-binary-format, --cli-auto-prompt, --no-cli-auto-prompt).
void AddAwsCliOptions(boost::program_options::options_description& desc, const char* request);

// What a twin command tells ParseAwsCliCommand about itself.
struct AwsTwin {
  const char* usage;
  const char* operation;  // "TestMetricFilter": --output table's title
  nlohmann::ordered_json input_skeleton;   // --generate-cli-skeleton [input]
  nlohmann::ordered_json output_skeleton;  // --generate-cli-skeleton output (through --query and --output)
  std::string yaml_input_skeleton;         // --generate-cli-skeleton yaml-input: aws's text, byte for byte
};

// Parses argv into `vm` like the AWS CLI (usage errors exit 252). Handles --help and --generate-cli-skeleton
// (printing the twin's skeletons); checks --output and --color and compiles --query ("Bad value for --query
// ...", exit 252); returns false when the command is done (help or skeleton printed), else fills `globals`
// (AwsGlobalsOf, with the twin's operation). A --query that fails on the output skeleton throws UsageError
// with exit 255, as aws.
struct AwsGlobals;
bool ParseAwsCliCommand(int argc, char** argv, const boost::program_options::options_description& desc,
                        const AwsTwin& twin, boost::program_options::variables_map* vm, AwsGlobals* globals);

// The request of --cli-input-json or --cli-input-yaml (inline or file://), or nothing when neither is given;
// UsageError with aws's texts for both given, invalid JSON or YAML (for YAML, the line and column after aws's
// line) and a document that is not a map.
std::optional<nlohmann::ordered_json> LoadCliInput(const boost::program_options::variables_map& vm);

// A Boost.Program_options error as the user reads it: its text, and for an unknown option the nearest one
// `desc` has ("unrecognised option '--fliter-pattern' (did you mean --filter-pattern?)").
std::string OptionErrorText(const boost::program_options::error& e, const boost::program_options::options_description& desc);

// Writes `text` to `path` (created or truncated); false when it could not be written whole.
bool WriteTextFile(const std::string& path, const std::string& text);

// Prints `j` as the AWS CLI v2 does (4-space indent, UTF-8 kept) followed by a newline.
void PrintAwsJson(const nlohmann::ordered_json& j);

// The AWS CLI's global options a twin command honours: how it prints (--query, --output), and what --debug
// shows of the request it would send (--region, --endpoint-url).
struct AwsGlobals {
  std::optional<jmespath::Expression> query;  // --query, compiled once (by AwsGlobalsOf)
  std::string format = "json";       // json | text | table | yaml | yaml-stream
  std::string color = "auto";        // --color on | off | auto: --output table's colours
  std::string operation;             // the operation's name ("TestMetricFilter"): --output table's title
  bool debug = false;                // --debug: the request, on stderr
  std::string region;                // --region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1
  std::string endpoint_url;          // --endpoint-url (checked: it needs a scheme)
};

// --debug: what the AWS CLI would send for `operation` (service `service`, JSON 1.1 target `target`): the
// endpoint, the headers that name the operation, and the body as botocore serializes it.
void PrintAwsDebugRequest(const AwsGlobals& globals, const std::string& service, const std::string& target,
                          const nlohmann::ordered_json& body);

// Prints a command's response as the AWS CLI does: through --query when given, then as --output says
// (tools/aws_output: text, yaml, yaml-stream, table; json here). Returns the exit code: 0, or 255 when the
// expression fails on the response or Python's formatter would fail on it (its error on stderr after an
// empty line, as aws prints it).
int PrintAwsResponse(const nlohmann::ordered_json& response, const AwsGlobals& output);

// --query and --output as given: the query compiled (a UsageError "Bad value for --query ...", exit 252,
// when it does not parse), the format one of the AWS CLI's choices (exit 252 otherwise).
AwsGlobals AwsGlobalsOf(const boost::program_options::variables_map& vm);

// Prints, on stderr, the AWS CLI error line and then our diagnostic:
//   An error occurred (InvalidParameterException) when calling the TestMetricFilter operation: <aws text>
//   error: <precise message> at column N
//     <pattern>
//     ^
//   hint: ...
void PrintAwsError(std::string_view operation, std::string_view pattern, const Diagnostic& d);

// Prints warnings (Diagnostic with exception "Warning") on stderr with a caret under the pattern.
void PrintWarnings(std::string_view pattern, const std::vector<Diagnostic>& warnings);

// Prints "trailwatch: <message>" on stderr.
void PrintToolError(std::string_view message);

// True when stdout is a terminal (for line buffering and colour decisions).
bool StdoutIsTerminal();

// Makes sure file descriptors 0, 1 and 2 are open, so that a file trailwatch opens can never take their
// place: a closed one is reopened on /dev/null read-only (reads see end of input, writes fail with EBADF and
// are reported by CheckStdout()).
void GuardStandardDescriptors();

// Flushes stdout and says whether everything written to it arrived: false (after printing "trailwatch:
// error writing to standard output: <reason>" on stderr) when a write failed — a full disk, a closed
// descriptor. A broken pipe counts as success (the reader has what it wanted), as in ripgrep.
bool CheckStdout();

// ReaderOptions with the whole-file and prefetch fast paths as TRAILWATCH_NO_FAST_PATHS says
// (engine/fast_paths.h): the libraries default to every fast path on, the commands pass the environment's.
engine::ReaderOptions ReaderOptionsFromEnvironment();

}  // namespace trailwatch::cli
