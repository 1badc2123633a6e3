"""Summarises `perf script -F pid,comm,ip,sym,dso` output for scripts/bench-profile.sh: the machine's samples by
process, then the host's (its pid is the second argument) by component and by managed namespace, then PostgreSQL's
by the phase of its work found on each sample's stack."""
import collections
import re
import sys

HEADER = re.compile(r"(.*?)\s+(\d+)\s*$")
FRAME = re.compile(r"\s*[0-9a-f]+ (.*) \((.*)\)\s*$")
# A JIT-compiled method as the runtime's perf map names it: "instance void [Assembly] Namespace.Type::Method(...)".
METHOD = re.compile(r"\[[^\]]+\] ([^ \[\]]+)::")

# Managed namespaces, most specific first; a sample counts for the innermost frame in one of them (its own code,
# or the framework code it called).
NAMESPACES = [
    "Npgsql", "OpenTelemetry", "Serilog", "Marten", "Weasel", "JasperFx", "Wolverine", "Polly", "FluentValidation",
    "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.RateLimiting",
    "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore", "Microsoft.IdentityModel", "Microsoft.Extensions",
    "System.Security.Cryptography", "System.Text.Json", "System.Net.Sockets", "System.Net.Http", "System.Diagnostics",
    "System.Linq", "Modular",
]

POSTGRES_PHASES = {
    "executing statements (ExecutorRun)": "ExecutorRun",
    "starting statements (ExecutorStart)": "ExecutorStart",
    "reading the next message from the client": "pq_getbyte",
    "committing (CommitTransactionCommand)": "CommitTransactionCommand",
    "of which flushing the WAL (XLogFlush)": "XLogFlush",
    "finding or revalidating a cached plan": "GetCachedPlan",
    "planning": "pg_plan_queries",
    "parsing and analysing": "pg_analyze_and_rewrite",
    "taking locks": "LockAcquire",
    "inserting heap rows": "heap_insert",
    "updating heap rows": "heap_update",
}


def read(path):
    samples, current = [], None
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if current:
                    samples.append(current)
                current = None
            elif not line.startswith(("\t", " ")):
                match = HEADER.match(line.rstrip())
                current = (match.group(2), match.group(1).strip(), []) if match else None
            elif current and (match := FRAME.match(line)):
                current[2].append((match.group(1), match.group(2)))
    if current:
        samples.append(current)
    return samples


def component(stack):
    symbol, library = stack[0] if stack else ("?", "?")
    if "kernel" in library:
        return "kernel (system calls: sockets, scheduling)"
    for marker, name in (("libcrypto", "OpenSSL (ECDH sealing, ES256 tokens)"), ("libssl", "OpenSSL (ECDH sealing, ES256 tokens)"),
                         ("libclrjit", "JIT compiler"), ("libcoreclr", "runtime (GC, type system)"),
                         ("libc.so", "libc (memory copies, locks)"), ("libSystem", "runtime native shims")):
        if marker in library:
            return name
    return "managed code"


def namespace(symbol):
    method = METHOD.search(symbol)
    if method:
        for name in NAMESPACES:
            if method.group(1).startswith(name):
                return name
    return None


def table(title, counter, total, limit=20):
    print(title)
    for key, count in counter.most_common(limit):
        print(f"  {100 * count / total:5.1f}%  {key}")


def main():
    samples, host = read(sys.argv[1]), sys.argv[2]
    total = len(samples)
    if not total:
        sys.exit("profile-report.py: no samples (perf record needs perf_event_paranoid <= 0 or root).")
    processes = collections.Counter()
    for pid, comm, _ in samples:
        processes["PostgreSQL" if comm == "postgres" else "the host" if pid == host
                  else "the load generator (.NET)" if comm.startswith(".NET") else "other (kernel threads, tools)"] += 1
    table(f"Machine: {total} samples of every CPU, by process", processes, total)

    hosted = [s for s in samples if s[0] == host]
    table(f"The host: {len(hosted)} samples, by where the CPU was", collections.Counter(component(s[2]) for s in hosted), len(hosted))
    own = collections.Counter()
    for _, _, stack in hosted:
        own[next((n for n in (namespace(sym) for sym, _ in stack) if n), "[" + component(stack) + "]")] += 1
    table("The host, by the innermost managed namespace on the stack (native time goes to its caller when perf can walk it)", own, len(hosted), 25)

    postgres = [s for s in samples if s[1] == "postgres"]
    phases = collections.Counter()
    for _, _, stack in postgres:
        symbols = " ".join(sym for sym, _ in stack)
        for phase, marker in POSTGRES_PHASES.items():
            if marker in symbols:
                phases[phase] += 1
    table(f"PostgreSQL: {len(postgres)} samples, by the phase on the stack (phases nest, so they overlap)", phases, len(postgres))


main()
