using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Engine;

/// <summary>
/// The messages between a <see cref="WorkerSession"/> (the parent) and a <see cref="WorkerHost"/> (the worker process):
/// one JSON object a line, UTF-8, over the worker's standard input (requests) and standard output (replies).
/// Parent → worker: <c>start</c> (folder, timeout, grace period: the first line, and again for each further notebook,
/// which gets a fresh session), <c>run</c>, <c>complete</c>,
/// <c>inspect</c> (each with an id), <c>cancel</c> (the running cell) and <c>input_reply</c>. Worker → parent:
/// <c>ready</c> (once, when it serves requests), <c>started</c> (a cell compiled and starts to run: its timeout's
/// clock starts), <c>result</c>, <c>completions</c>, <c>inspection</c> (each with the id of its request) and
/// <c>input</c> (the running cell reads a line). The worker's standard error is free text (diagnostics, a crash's last words).
/// </summary>
internal static class WorkerProtocol
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line(JsonObject message) => message.ToJsonString(Json);

    public static JsonObject? Parse(string line)
    {
        try { return JsonNode.Parse(line) as JsonObject; }
        catch (JsonException) { return null; }
    }

    public static string Op(JsonObject message) => message["op"]?.GetValue<string>() ?? "";

    public static JsonObject ToJson(CellResult result, long id) => new()
    {
        ["op"] = "result", ["id"] = id,
        ["outputs"] = new JsonArray(result.Outputs.Select(o => (JsonNode?)ToJson(o)).ToArray()),
        ["failed"] = result.Failed, ["elapsedTicks"] = result.Elapsed.Ticks, ["stillRunning"] = result.StillRunning,
    };

    public static CellResult ResultFromJson(JsonObject j) =>
        new(j["outputs"]!.AsArray().Select(o => OutputFromJson(o!.AsObject())).ToArray(), j["failed"]!.GetValue<bool>(), TimeSpan.FromTicks(j["elapsedTicks"]!.GetValue<long>()))
        { StillRunning = j["stillRunning"]?.GetValue<bool>() ?? false };

    private static JsonObject ToJson(CellOutput o)
    {
        var j = new JsonObject { ["type"] = o.OutputType };
        if (o.Data is not null)
        {
            // An array of pairs: the bundle's order is kept as the formatter made it.
            j["data"] = new JsonArray(o.Data.Select(kv => (JsonNode?)new JsonArray(kv.Key, kv.Value)).ToArray());
        }
        if (o.StreamName is not null) j["name"] = o.StreamName;
        if (o.Text is not null) j["text"] = o.Text;
        if (o.EName is not null) j["ename"] = o.EName;
        if (o.EValue is not null) j["evalue"] = o.EValue;
        if (o.Traceback is not null) j["traceback"] = new JsonArray(o.Traceback.Select(t => (JsonNode?)t).ToArray());
        if (o.DisplayId is not null) j["displayId"] = o.DisplayId;
        if (o.IsUpdate) j["update"] = true;
        return j;
    }

    private static CellOutput OutputFromJson(JsonObject j)
    {
        Dictionary<string, string>? data = null;
        if (j["data"] is JsonArray pairs)
        {
            data = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
            foreach (var p in pairs) data[p![0]!.GetValue<string>()] = p[1]!.GetValue<string>();
        }
        return new CellOutput(j["type"]!.GetValue<string>(), data, j["name"]?.GetValue<string>(), j["text"]?.GetValue<string>(),
            j["ename"]?.GetValue<string>(), j["evalue"]?.GetValue<string>(), (j["traceback"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToArray(),
            j["displayId"]?.GetValue<string>(), j["update"]?.GetValue<bool>() ?? false);
    }
}

/// <summary>
/// The worker side of <see cref="WorkerSession"/>: serves one <see cref="ScriptSession"/> over the process's standard
/// input and output (<see cref="WorkerProtocol"/>). The <c>workbench</c> command runs it as its hidden
/// <c>run-worker</c> subcommand. A cell that does not stop within the grace period after a timeout or an interrupt
/// makes the worker answer and exit, which is what stops it; the worker also exits when its standard input closes
/// (the parent finished, or died), even in the middle of a cell.
/// </summary>
public static class WorkerHost
{
    /// <summary>
    /// Serves requests until the input ends; returns the process exit code (0, or 3 after a cell that could not be
    /// stopped). The caller must not write to <paramref name="output"/>; Console.Out is sent to Console.Error here so
    /// that a cell's stray writes (from threads outside the cell's capture) never corrupt the replies, and Console.In
    /// becomes the parent's input requests.
    /// </summary>
    public static int Run(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Console.SetOut(Console.Error);
        var writer = new StreamWriter(output, new UTF8Encoding(false)) { NewLine = "\n" };
        var gate = new object();
        void Send(JsonObject message)
        {
            var line = WorkerProtocol.Line(message);
            lock (gate) { writer.Write(line); writer.Write('\n'); writer.Flush(); }
        }
        var reader = new StreamReader(input, new UTF8Encoding(false));
        var start = reader.ReadLine() is { } first ? WorkerProtocol.Parse(first) : null;
        if (start is null || WorkerProtocol.Op(start) != "start") return 0;
        var session = NewSession(start);
        var stdin = new WorkerInput(Send);
        Console.SetIn(stdin);
        var requests = new BlockingCollection<(JsonObject Message, CancellationTokenSource? Cancel)>();
        StartListener(reader, stdin, requests);
        Send(new JsonObject { ["op"] = "ready" });
        foreach (var (m, cancel) in requests.GetConsumingEnumerable())
        {
            long id = m["id"]?.GetValue<long>() ?? 0;
            string code = m["code"]?.GetValue<string>() ?? "";
            switch (WorkerProtocol.Op(m))
            {
                case "start":
                    // The next notebook: a fresh session (variables, types, #r references), in the same process.
                    session.Dispose();
                    session = NewSession(m);
                    break;
                case "run":
                    if (RunCell(session, stdin, m, cancel!, id, code, Send)) { session.Dispose(); return 3; }
                    break;
                case "complete":
                    Send(Complete(session, id, code, m));
                    break;
                case "inspect":
                    Send(Inspect(session, id, code, m));
                    break;
                default:
                    Console.Error.WriteLine($"workbench worker: ignored an unknown request '{WorkerProtocol.Op(m)}'.");
                    break;
            }
        }
        session.Dispose();
        return 0;
    }

    /// <summary>A fresh session for the notebook a start request names: its folder, cell timeout and grace period.</summary>
    private static ScriptSession NewSession(JsonObject start) => new(start["dir"]?.GetValue<string>() ?? Directory.GetCurrentDirectory())
    {
        CellTimeout = start["timeoutSeconds"] is { } t ? TimeSpan.FromSeconds(t.GetValue<double>()) : null,
        GracePeriod = TimeSpan.FromSeconds(start["graceSeconds"]?.GetValue<double>() ?? 3),
    };

    /// <summary>
    /// Starts the thread that reads the parent's requests: cancels and input replies act at once, the rest queue for the
    /// main loop; when the input closes it cancels the running cell and ends the process.
    /// </summary>
    private static void StartListener(StreamReader reader, WorkerInput stdin, BlockingCollection<(JsonObject Message, CancellationTokenSource? Cancel)> requests)
    {
        CancellationTokenSource? current = null;
        var listener = new Thread(() =>
        {
            while (reader.ReadLine() is { } line)
            {
                if (WorkerProtocol.Parse(line) is not { } m) { Console.Error.WriteLine("workbench worker: ignored a malformed request."); continue; }
                switch (WorkerProtocol.Op(m))
                {
                    case "cancel": Volatile.Read(ref current)?.Cancel(); break;
                    case "input_reply": stdin.Reply(m["value"]?.GetValue<string>()); break;
                    case "run":
                        // The cancellation source is made here, so a cancel that arrives before the cell starts still reaches it.
                        var cts = new CancellationTokenSource();
                        Volatile.Write(ref current, cts);
                        requests.Add((m, cts));
                        break;
                    default: requests.Add((m, null)); break;
                }
            }
            // The parent closed the pipe (or died): finish now, even in the middle of a cell.
            requests.CompleteAdding();
            Volatile.Read(ref current)?.Cancel();
            Thread.Sleep(TimeSpan.FromSeconds(1));
            Environment.Exit(0);
        }) { IsBackground = true, Name = "worker-requests" };
        listener.Start();
    }

    /// <summary>Runs one cell for a run request and sends its result; true when the cell could not be stopped (the worker must end).</summary>
    private static bool RunCell(ScriptSession session, WorkerInput stdin, JsonObject m, CancellationTokenSource cancel, long id, string code, Action<JsonObject> send)
    {
        CellResult result;
        stdin.Begin(m["stdin"]?.GetValue<bool>() ?? false, cancel.Token);
        session.RunStarting = () => send(new JsonObject { ["op"] = "started", ["id"] = id });
        try { result = session.RunAsync(code, cancel.Token).GetAwaiter().GetResult(); }
        finally { stdin.End(); session.RunStarting = null; }
        if (result.StillRunning) result = result with { Outputs = result.Outputs.Select(Ended).ToArray() };
        send(WorkerProtocol.ToJson(result, id));
        return result.StillRunning;
    }

    /// <summary>The reply to a completion request: the matches and the span they replace (none when completion fails).</summary>
    private static JsonObject Complete(ScriptSession session, long id, string code, JsonObject m)
    {
        var reply = new JsonObject { ["op"] = "completions", ["id"] = id };
        try
        {
            var (matches, s, e) = session.Complete(code, m["cursor"]?.GetValue<int>() ?? code.Length);
            reply["matches"] = new JsonArray(matches.Select(x => (JsonNode?)x).ToArray());
            reply["start"] = s; reply["end"] = e;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException) { Console.Error.WriteLine($"workbench worker: completion failed: {ex.Message}"); }
        return reply;
    }

    /// <summary>The reply to an inspection request: the text about the symbol at the cursor (none when inspection fails).</summary>
    private static JsonObject Inspect(ScriptSession session, long id, string code, JsonObject m)
    {
        var reply = new JsonObject { ["op"] = "inspection", ["id"] = id };
        try { reply["text"] = session.Inspect(code, m["cursor"]?.GetValue<int>() ?? code.Length); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { Console.Error.WriteLine($"workbench worker: inspection failed: {ex.Message}"); }
        return reply;
    }

    /// <summary>The abandoned cell's error, as the worker ends: "…; its worker process was ended."</summary>
    private static CellOutput Ended(CellOutput o) => o.OutputType != "error" ? o : o with
    {
        EValue = o.EValue?.Replace(ScriptSession.AbandonedNote, WorkerSession.EndedNote, StringComparison.Ordinal),
        Traceback = o.Traceback?.Select(t => t.Replace(ScriptSession.AbandonedNote, WorkerSession.EndedNote, StringComparison.Ordinal)).ToArray(),
    };

    /// <summary>Console.In of the worker: a line read by a cell that allows input is asked of the parent (Jupyter's input_request).</summary>
    private sealed class WorkerInput(Action<JsonObject> send) : TextReader
    {
        private readonly object _gate = new();
        private bool _allowed;
        private CancellationToken _token;
        private TaskCompletionSource<string?>? _pending;

        public void Begin(bool allowed, CancellationToken token) { lock (_gate) { _allowed = allowed; _token = token; } }
        public void End() { lock (_gate) { _allowed = false; _pending?.TrySetResult(null); _pending = null; } }
        public void Reply(string? value) { lock (_gate) _pending?.TrySetResult(value); }

        public override string? ReadLine()
        {
            TaskCompletionSource<string?> pending;
            CancellationToken token;
            lock (_gate)
            {
                if (!_allowed) return null;
                pending = _pending = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                token = _token;
            }
            send(new JsonObject { ["op"] = "input", ["prompt"] = "" });
            try { return pending.Task.WaitAsync(token).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { return null; }
        }

        public override int Peek() => -1;
        public override int Read() => -1;
    }
}

/// <summary>
/// A notebook session in a worker process: the cells run in a child process (started with a command such as
/// <c>workbench run-worker</c>, which runs <see cref="WorkerHost"/>), so a cell that ends its process
/// (Environment.Exit, a stack overflow, running out of memory, a kill) or that cannot be stopped takes only its worker
/// down. Such a cell comes back as an error output that says what happened, with the worker's last lines on stderr,
/// and the session is then no longer <see cref="IsAlive"/>. A timeout or interrupt is passed to the worker, which
/// stops the cell cooperatively; a cell still running a grace period later is stopped by ending the worker.
/// </summary>
public sealed class WorkerSession : ICellSession
{
    /// <summary>How the error of a cell whose worker was ended ends.</summary>
    internal const string EndedNote = "its worker process was ended.";

    /// <summary>Time allowed past the worker's own deadline (timeout or grace period) for its answer to arrive.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    /// <summary>How long a worker may take to start before its first cell fails.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    /// <summary>How long a cell may take to restore its #r packages and compile before it starts to run.</summary>
    private static readonly TimeSpan PrepareLimit = TimeSpan.FromMinutes(10);

    private readonly Process? _process;
    private readonly string? _startError;
    private readonly object _sendGate = new();
    private readonly StderrTail _stderr = new();
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TextWriter? _log;
    private long _nextId;
    private volatile TaskCompletionSource<JsonObject?>? _pending;
    private volatile TaskCompletionSource? _started;
    private long _pendingId;
    private Func<string, string?>? _input;
    private volatile bool _alive;

    /// <summary>Per-cell timeout (null: none), enforced by the worker and, past the grace period, by ending it.</summary>
    public TimeSpan? CellTimeout { get; }
    /// <summary>How long a cancelled cell gets to stop before its worker is ended.</summary>
    public TimeSpan GracePeriod { get; }
    /// <summary>False once the worker has exited or been ended; the session's state is then gone.</summary>
    public bool IsAlive => _alive;
    /// <summary>Completes when the worker has started and serves requests (true), or has ended before that (false).</summary>
    public Task<bool> Ready => _ready.Task;
    /// <summary>The worker's process id (0 if it could not be started).</summary>
    public int ProcessId { get; }

    private WorkerSession(TimeSpan? cellTimeout, TimeSpan gracePeriod, TextWriter? log, Process? process, string? startError)
    {
        CellTimeout = cellTimeout; GracePeriod = gracePeriod; _log = log; _process = process; _startError = startError;
        ProcessId = process?.Id ?? 0;
        _alive = process is not null;
    }

    /// <summary>
    /// Starts a worker: <paramref name="command"/> is the program and its arguments (e.g. the dotnet host, Workbench.Cli.dll
    /// and <c>run-worker</c>), started in the current directory with this process's environment; relative paths of the
    /// notebook resolve against <paramref name="workingDirectory"/>. The worker's stderr lines also go to
    /// <paramref name="log"/> when given. A worker that cannot be started gives a session whose first cell reports why.
    /// </summary>
    public static WorkerSession Start(IReadOnlyList<string> command, string workingDirectory, TimeSpan? cellTimeout, TimeSpan gracePeriod, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0) throw new ArgumentException("The worker command is empty.", nameof(command));
        var psi = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = new UTF8Encoding(false), StandardErrorEncoding = new UTF8Encoding(false),
        };
        Process process;
        try { process = Process.Start(psi) ?? throw new InvalidOperationException("no process was started"); }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            var failed = new WorkerSession(cellTimeout, gracePeriod, log, null, $"The worker process could not be started ({string.Join(' ', command)}): {ex.Message}");
            failed._ready.TrySetResult(false);
            return failed;
        }
        var session = new WorkerSession(cellTimeout, gracePeriod, log, process, null);
        session.Listen();
        session.Send(session.StartMessage(workingDirectory));
        return session;
    }

    /// <summary>
    /// Replaces the worker's session by a fresh one for the next notebook, in the same process (as <c>workbench run</c>
    /// runs notebooks one after another): the previous session's variables, types and #r references are gone; the
    /// assemblies it loaded stay loaded, as in one process. Only for a worker that <see cref="IsAlive"/>, between cells.
    /// </summary>
    public void NewSession(string workingDirectory)
    {
        if (!_alive) throw new InvalidOperationException("The worker process is no longer running; start a new one.");
        Send(StartMessage(workingDirectory));
    }

    private JsonObject StartMessage(string workingDirectory) => new()
    {
        ["op"] = "start", ["dir"] = Path.GetFullPath(workingDirectory),
        ["timeoutSeconds"] = CellTimeout?.TotalSeconds, ["graceSeconds"] = GracePeriod.TotalSeconds,
    };

    private void Listen()
    {
        var process = _process!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _stderr.Add(e.Data);
            _log?.WriteLine(e.Data);
        };
        process.BeginErrorReadLine();
        new Thread(() =>
        {
            try
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    if (WorkerProtocol.Parse(line) is not { } m) { _stderr.Add("(the worker wrote a line that is not a message: " + line + ")"); continue; }
                    if (WorkerProtocol.Op(m) == "ready") { _ready.TrySetResult(true); continue; }
                    if (WorkerProtocol.Op(m) == "input")
                    {
                        var prompt = m["prompt"]?.GetValue<string>() ?? "";
                        var input = _input;
                        // Asked off this thread: answering may take the user a while, and replies must keep flowing.
                        Task.Run(() => Send(new JsonObject { ["op"] = "input_reply", ["value"] = input?.Invoke(prompt) }));
                        continue;
                    }
                    if (WorkerProtocol.Op(m) == "started")
                    {
                        if ((m["id"]?.GetValue<long>() ?? -1) == Interlocked.Read(ref _pendingId)) _started?.TrySetResult();
                        continue;
                    }
                    var pending = _pending;
                    if (pending is not null && (m["id"]?.GetValue<long>() ?? -1) == Interlocked.Read(ref _pendingId)) pending.TrySetResult(m);
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            _alive = false;
            _ready.TrySetResult(false);
            _pending?.TrySetResult(null);
        }) { IsBackground = true, Name = "worker-replies" }.Start();
    }

    private bool Send(JsonObject message)
    {
        if (_process is null) return false;
        try
        {
            lock (_sendGate) { _process.StandardInput.Write(WorkerProtocol.Line(message)); _process.StandardInput.Write('\n'); _process.StandardInput.Flush(); }
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException) { return false; }
    }

    /// <summary>Sends a request and returns the task of its reply (null: the worker's output ended first).</summary>
    private Task<JsonObject?> Request(JsonObject message)
    {
        long id = Interlocked.Increment(ref _nextId);
        var pending = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _pendingId, id);
        _pending = pending;
        message["id"] = id;
        if (!_alive || !Send(message)) pending.TrySetResult(null);
        return pending.Task;
    }

    /// <inheritdoc />
    public Task<CellResult> RunAsync(string code, CancellationToken cancellationToken = default) => RunAsync(code, null, cancellationToken);

    /// <summary>
    /// Runs one cell in the worker. <paramref name="input"/>, when given, answers the cell's Console.ReadLine() (given
    /// a prompt, returns a line or null); without it the cell reads end of input.
    /// </summary>
    public async Task<CellResult> RunAsync(string code, Func<string, string?>? input, CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        if (_process is null) return Error(sw, "WorkerNotStarted", _startError!);
        if (!_alive) return Error(sw, "WorkerProcessExited", "The worker process is no longer running (it ended during an earlier cell); the session's state is gone.");
        _input = input;
        try
        {
            // The worker's start-up is not the cell's.
            var ready = await Task.WhenAny(_ready.Task, Task.Delay(StartLimit, cancellationToken)).ConfigureAwait(false);
            if (ready != _ready.Task || !_ready.Task.Result)
            {
                if (_alive && cancellationToken.IsCancellationRequested) { Kill(); return Error(sw, "OperationCanceledException", "The cell was interrupted while its worker process was starting; " + EndedNote); }
                if (_alive) { Kill(); return Error(sw, "WorkerNotStarted", $"The worker process did not start within {Seconds(StartLimit)} s; {EndedNote}"); }
                return Exited(sw);
            }
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _started = started;
            var reply = Request(new JsonObject { ["op"] = "run", ["code"] = code, ["stdin"] = input is not null });
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            using var timers = new CancellationTokenSource();
            // Until the cell starts to run: its #r restores and its compilation.
            var first = await Task.WhenAny(reply, started.Task, cancelled, Task.Delay(PrepareLimit, timers.Token)).ConfigureAwait(false);
            if (first != reply && first != cancelled && first != started.Task)
            {
                Kill();
                return Error(sw, "TimeoutException", $"The cell did not start to run within {Seconds(PrepareLimit)} s (restoring its #r packages, compiling); {EndedNote}");
            }
            if (first == started.Task)
            {
                // The worker stops a timed-out cell itself and answers within its grace period; past that (and some slack) it is stuck.
                var deadline = CellTimeout is { } t ? t + GracePeriod + Slack : Timeout.InfiniteTimeSpan;
                first = await Task.WhenAny(reply, cancelled, Task.Delay(deadline, timers.Token)).ConfigureAwait(false);
            }
            timers.Cancel();
            var expired = first != reply && first != cancelled;
            if (first == cancelled)
            {
                Send(new JsonObject { ["op"] = "cancel" });
                if (await Task.WhenAny(reply, Task.Delay(GracePeriod + Slack)).ConfigureAwait(false) != reply)
                {
                    Kill();
                    return Error(sw, "OperationCanceledException", $"The cell was interrupted and did not stop within {Seconds(GracePeriod)} s; {EndedNote}");
                }
            }
            else if (expired)
            {
                Kill();
                return Error(sw, "TimeoutException", $"The cell timed out after {Seconds(CellTimeout!.Value)} s and did not stop within {Seconds(GracePeriod)} s of being cancelled; {EndedNote}");
            }
            var m = await reply.ConfigureAwait(false);
            if (m is null) return Exited(sw);
            var result = WorkerProtocol.ResultFromJson(m);
            if (result.StillRunning) Kill();
            return result;
        }
        finally { _input = null; }
    }

    /// <summary>Completions from the worker's session (empty when it does not answer within 30 s or is gone).</summary>
    public (IReadOnlyList<string> Matches, int Start, int End) Complete(string code, int cursor)
    {
        var m = Ask(new JsonObject { ["op"] = "complete", ["code"] = code, ["cursor"] = cursor });
        if (m?["matches"] is not JsonArray matches) return ([], cursor, cursor);
        return (matches.Select(x => x!.GetValue<string>()).ToArray(), m["start"]!.GetValue<int>(), m["end"]!.GetValue<int>());
    }

    /// <summary>What the worker's session knows about the symbol at the cursor, or null.</summary>
    public string? Inspect(string code, int cursor) =>
        Ask(new JsonObject { ["op"] = "inspect", ["code"] = code, ["cursor"] = cursor })?["text"]?.GetValue<string>();

    private JsonObject? Ask(JsonObject message)
    {
        if (!_ready.Task.Wait(StartLimit) || !_ready.Task.Result || !_alive) return null;
        var reply = Request(message);
        return reply.Wait(TimeSpan.FromSeconds(30)) ? reply.Result : null;
    }

    private CellResult Exited(Stopwatch sw)
    {
        int code = WaitForExit();
        var how = code == 0 ? "exited with code 0"
            : code > 128 && code < 160 ? $"was ended by signal {code - 128}{SignalName(code - 128)} (exit code {code})"
            : $"exited with code {code}";
        var lines = _stderr.Lines();
        var message = $"The worker process running this notebook {how} during this cell, before the cell finished: a cell that calls Environment.Exit, "
            + "a stack overflow, running out of memory or a kill ends it. The session's state is gone. "
            + (lines.Count == 0 ? "It wrote nothing on stderr." : "Its last lines on stderr:\n" + string.Join('\n', lines));
        return Error(sw, "WorkerProcessExited", message);
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT: the runtime aborted, as on a stack overflow)", 9 => " (SIGKILL: killed, as by the out-of-memory killer)",
        11 => " (SIGSEGV)", 15 => " (SIGTERM)", 2 => " (SIGINT)", _ => "",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    private static CellResult Error(Stopwatch sw, string name, string message)
    {
        var traceback = new List<string> { $"{name}: {message.Split('\n')[0]}" };
        traceback.AddRange(message.Split('\n').Skip(1));
        return new CellResult([new CellOutput("error", EName: name, EValue: message, Traceback: traceback)], true, sw.Elapsed);
    }

    private int WaitForExit()
    {
        var p = _process!;
        if (!p.WaitForExit(5000)) { Kill(); }
        else p.WaitForExit(); // drains the stderr reader
        _alive = false;
        return p.ExitCode;
    }

    private void Kill()
    {
        _alive = false;
        var p = _process!;
        try { p.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
        if (p.WaitForExit(10000)) p.WaitForExit();
    }

    /// <summary>Ends the worker: its input is closed (it exits at once, even mid-cell) and it is killed if still there after 5 s.</summary>
    public void Dispose()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            try { lock (_sendGate) _process.StandardInput.Close(); }
            catch (IOException) { }
            if (!_process.WaitForExit(5000)) Kill();
        }
        _alive = false;
        _process.Dispose();
    }

    /// <summary>The first and the last lines a worker wrote on stderr (a crash's last words, without the megabytes in between).</summary>
    private sealed class StderrTail
    {
        private const int Head = 12, Tail = 8;
        private readonly List<string> _head = [];
        private readonly Queue<string> _tail = new();
        private readonly object _gate = new();
        private long _skipped;

        public void Add(string line)
        {
            lock (_gate)
            {
                if (line.Length > 300) line = line[..300] + "…";
                if (_head.Count < Head) { _head.Add(line); return; }
                _tail.Enqueue(line);
                if (_tail.Count > Tail) { _tail.Dequeue(); _skipped++; }
            }
        }

        public IReadOnlyList<string> Lines()
        {
            lock (_gate)
            {
                var all = new List<string>(_head);
                if (_skipped > 0) all.Add($"[… {_skipped} lines …]");
                all.AddRange(_tail);
                return all;
            }
        }
    }
}
