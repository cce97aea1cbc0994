// yaml.h: the AWS CLI's YAML — what `aws ... --output yaml` (and each document of `--output yaml-stream`)
// prints, and how `--cli-input-yaml` is read — as Debian 12's awscli 2.9.19 does it with ruamel.yaml
// 0.17.21 and its C extension ruamel.yaml.clib 0.2.7.
//
// Contract of FormatYaml(value), a port of awscli/formatter.py's YAMLDumper:
//  - A JSON scalar (null, true/false, a number, a string) is what Python's json.dump(value,
//    ensure_ascii=False) writes, then "\n": non-ASCII kept, only '"', '\\' and U+0000..U+001F escaped (\n \r
//    \t \b \f, else \u00XX), floats as Python's repr (1e+16, 1.5, -0.0), NaN/Infinity/-Infinity.
//  - Anything else goes through ruamel's YAML(typ='safe') with default_flow_style=False, which (C extension
//    present) is libyaml's emitter (CEmitter) fed by SafeRepresenter and the YAML 1.2 `Resolver`:
//    * mappings are block mappings with keys sorted by code point (Python's sorted()); sequences are block
//      sequences, indentless inside a mapping (`k:\n- a`), `- - a` for lists of lists; empty ones are `[]`
//      and `{}`; indentation 2, line width 80, allow_unicode on.
//    * null, booleans and integers are `null`, `true`/`false`, decimal; floats are Python's repr
//      (`1e+16`, `1.0`), `.nan`, `.inf`, `-.inf`.
//    * a string is plain unless libyaml's analysis forbids it (indicators at the start such as `- `, `? `,
//      `: `, `#`, `&`, `*`, `!`, `|`, `>`, `'`, `"`, `%`, `@`, `` ` ``, `,[]{}`; `: ` or ` #` inside; `---`
//      or `...` at the start; leading or trailing spaces; line breaks) or the YAML 1.2 resolver would read it
//      as another type (`'1'`, `'1e3'`, `'0x1f'`, `'0o17'`, `'1_000'`, `'.5'`, `'true'`, `'null'`, `'~'`,
//      `''`, `'2001-12-14'`, `'<<'`, `'='`; `yes`/`on` stay plain: 1.1 booleans are not resolved). Then it is
//      single-quoted, or double-quoted when it holds characters libyaml does not print (C0 controls and tab,
//      DEL, C1 controls, U+FEFF, U+FFFE/U+FFFF, surrogates, and everything beyond U+FFFF — escaped as
//      \0 \a \b \t \n \v \f \r \e \N \_ \L \P \xXX \uXXXX \UXXXXXXXX) or a space next to a line break.
//    * long plain and quoted scalars fold at spaces past column 80; line breaks in single-quoted scalars
//      are written doubled; keys longer than 128 bytes or multi-line become `? key` / `: value` pairs.
//  - Strings that are not valid UTF-8 (no parser of ours produces them) are first repaired with U+FFFD per
//    bad byte, so the output is always valid UTF-8. Nesting is walked with explicit stacks: any depth is
//    printed (Python itself would stop with a RecursionError near depth 300); never throws.
//  - Integers are nlohmann's int64/uint64 and print exactly; an integer beyond 64 bits reaches us as a double
//    (nlohmann's choice) and prints as Python prints that float, where json.loads would have kept the int —
//    a deliberate exception the differential test does not generate.
//  - The caller handles the rule that a response equal to {} prints nothing (FormatYaml({}) is "{}\n").
//
// Contract of ParseCliInputYaml(text), a port of awscli/customizations/cliinput.py's loader,
// YAML(typ='safe', pure=True).load(text): yaml-cpp parses (structure, quoting, tags, anchors); the plain
// scalars are then resolved by ruamel's VersionedResolver rules for YAML 1.2 (or 1.1 after a `%YAML 1.1`
// directive) and built as SafeConstructor builds them:
//  - `~`/`null`/empty -> null; true/false (1.2: only true/True/TRUE/false/False/FALSE) -> bool; 1.2 integers
//    (`12`, `+1`, `-0`, `0x1F`, `0o17`, `017` (decimal 17 in 1.2), `0b101`, `1_000`) -> int; floats (`1.5`,
//    `.5`, `1e3`, `1.`, `.inf`, `-.Inf`, `.nan`) -> float (inf and NaN are kept as doubles); everything else,
//    and every quoted or block scalar, -> str. Explicit tags !!str !!int !!float !!bool !!null !!seq !!map
//    apply; the non-specific `!` resolves the text as if plain (as ruamel does). Merge keys `<<` (a mapping
//    or a list of mappings) merge as ruamel's flatten_mapping does; duplicate keys are errors (unless a
//    merge is present: then the last one wins); aliases are expanded (copies).
//  - Types JSON lacks, mapped to what is closest to what botocore then sees: a timestamp (`2001-12-14`,
//    `2001-12-14 21:59:43.10 -5`) -> the string Python's isoformat() gives for the date or the naive UTC
//    datetime ruamel builds ("2001-12-14", "2001-12-15T02:59:43.100000"); !!binary -> the decoded bytes as a
//    string when they are UTF-8 (else an error: JSON cannot hold them); !!set -> an array of its members in
//    document order (Python's set order is arbitrary); !!omap -> an object; !!pairs -> an array of [key,
//    value] arrays. Keys that are not strings become the text json.dumps writes for them ("1", "true",
//    "null", "1.5"); two keys equal in Python (1, 1.0, true) are duplicates.
//  - Errors are Diagnostics. Where ruamel raises a YAMLError (syntax, unknown tag such as `!foo`, duplicate
//    key, more than one document, a `=` or `<<` scalar outside a key), exception is "YAMLError" and
//    aws_message the AWS CLI's line, "Error parsing parameter 'cli-input-yaml': Invalid YAML received.";
//    message is the precise reason with "line L, column C" (1-based). Where Python fails otherwise (the AWS
//    CLI then prints the exception text alone: `!!int 12x`, a timestamp such as 2001-13-01, a list used as a
//    key) exception is "ValueError"/"TypeError" and aws_message that text. Not done by design (errors with
//    their own message): recursive aliases (`&a [*a]`, which Python builds as a cyclic list), nesting deeper
//    than 1000, expansion of aliases beyond 1,000,000 nodes, non-UTF-8 !!binary.
//  - Deliberate exceptions (where yaml-cpp, not ruamel's pure-Python scanner, decides): (1) syntax — where the
//    two disagree on what is valid YAML yaml-cpp wins (e.g. ruamel accepts "a:\n- b\n  c" as {"a": ["b c"]},
//    yaml-cpp rejects it); (2) U+0085, U+2028 and U+2029 outside quoted scalars, which ruamel takes for line
//    breaks (YAML 1.1) and yaml-cpp for ordinary characters (YAML 1.2); quoted scalars themselves are decoded
//    again from the text with ruamel's folding rules (yaml-cpp drops breaks before a closing quote and turns
//    \N and \_ into lone bytes), except a quoted scalar after a tag or anchor, which keeps yaml-cpp's value;
//    (3) integers beyond 64 bits become doubles (Python keeps them exact). Everything FormatYaml prints reads
//    back as ruamel reads it.
//  - An empty document (or only comments) is null; the caller checks that the result is an object ("Invalid
//    type: expecting map, received <class 'NoneType'>"). Never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "patterns/common/diagnostic.h"

namespace trailwatch::awsout {

std::string FormatYaml(const nlohmann::ordered_json& value);

Result<nlohmann::ordered_json> ParseCliInputYaml(std::string_view text);

// The AWS CLI's first error line for an invalid --cli-input-yaml.
inline constexpr std::string_view kInvalidYamlMessage =
    "Error parsing parameter 'cli-input-yaml': Invalid YAML received.";

}  // namespace trailwatch::awsout
