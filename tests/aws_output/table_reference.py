#!/usr/bin/python3
# table_reference.py: the AWS CLI's own --output table code (Debian's awscli 2.9: awscli/formatter.py's
# TableFormatter, awscli/table.py), the reference of tests/aws_output/aws_table_test.cc.
# Reads JSON lines {"d": VALUE, "t": TITLE, "w": TERMINAL WIDTH, "c": COLOR (bool)} on stdin; writes one JSON
# line per case: {"text": what aws writes to stdout} or {"error": str(exception)}.
# The formatter is built as aws builds it (args.color 'off' or 'on'), then its MultiTable's terminal width is
# set to the case's (determine_terminal_width() ran when it was built). With color on, aws's ColorizedStyler
# calls colorama.init(autoreset=True, strip=False), which replaces sys.stdout with an AnsiToWin32 wrapper:
# here colorama.init is made a no-op (it would wrap this process's stdout once more per case) and the same
# wrapper, AnsiToWin32(buffer, strip=False, autoreset=True).stream, is put around each case's buffer.
# Exit 77 when awscli is not installed (the test is then skipped).
import io
import json
import sys

try:
    import colorama
    from colorama.ansitowin32 import AnsiToWin32
    from awscli.formatter import TableFormatter
except ImportError:
    sys.exit(77)

colorama.init = lambda *args, **kwargs: None


class Args:
    query = None
    color = 'off'


for line in sys.stdin:
    case = json.loads(line)
    args = Args()
    args.color = 'on' if case['c'] else 'off'
    formatter = TableFormatter(args)
    formatter.table._terminal_width = case['w']
    buffer = io.StringIO()
    stream = buffer
    if case['c']:
        stream = AnsiToWin32(buffer, convert=None, strip=False, autoreset=True).stream
    try:
        formatter._format_response(case['t'], case['d'], stream)
        out = {'text': buffer.getvalue()}
    except Exception as e:  # every failure is an answer to compare
        out = {'error': str(e)}
    sys.stdout.write(json.dumps(out) + '\n')
