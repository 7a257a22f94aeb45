using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Notebooks.Engine;

namespace Workbench.Notebooks.Kernel;

/// <summary>A Jupyter connection file (the kernel's transport, addresses, ports and signing key).</summary>
public sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    /// <summary>Reads a connection file.</summary>
    public static ConnectionInfo Load(string path)
    {
        var j = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"'{path}' is not a JSON object.");
        int Port(string name) => j[name]?.GetValue<int>() ?? throw new InvalidDataException($"'{path}': {name} is missing.");
        var scheme = j["signature_scheme"]?.GetValue<string>() ?? "hmac-sha256";
        if (scheme != "hmac-sha256") throw new InvalidDataException($"'{path}': signature_scheme '{scheme}' is not supported (only hmac-sha256).");
        return new ConnectionInfo(j["transport"]?.GetValue<string>() ?? "tcp", j["ip"]?.GetValue<string>() ?? "127.0.0.1",
            Port("shell_port"), Port("iopub_port"), Port("stdin_port"), Port("control_port"), Port("hb_port"), j["key"]?.GetValue<string>() ?? "", scheme);
    }

    /// <summary>The ZeroMQ address of a port.</summary>
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}

/// <summary>One Jupyter wire message.</summary>
public sealed record WireMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    /// <summary>The message type.</summary>
    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";
}

/// <summary>HMAC-SHA256 signing of Jupyter messages (the protocol's authentication).</summary>
public sealed class MessageSigner(string key)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    /// <summary>Whether messages are signed (a key was given).</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>Hex signature of the four JSON frames.</summary>
    public string Sign(params byte[][] frames)
    {
        if (!Enabled) return "";
        using var h = new HMACSHA256(_key);
        foreach (var f in frames) h.TransformBlock(f, 0, f.Length, null, 0);
        h.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(h.Hash!);
    }

    /// <summary>Constant-time check of a signature.</summary>
    public bool Verify(string signature, params byte[][] frames)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(frames));
        var given = Encoding.ASCII.GetBytes(signature);
        return given.Length == expected.Length && CryptographicOperations.FixedTimeEquals(given, expected);
    }
}

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) for C# on the notebook engine's <see cref="ScriptSession"/>, over
/// ZeroMQ (NetMQ). Sockets: heartbeat (echo), shell (kernel_info, execute, complete, inspect, is_complete,
/// comm_info, history), control (kernel_info, shutdown, interrupt), iopub (status, execute_input, stream,
/// display_data, update_display_data, execute_result, error) and stdin (input requests when the frontend
/// allows them). Every message's HMAC-SHA256 signature is verified when the connection file has a key; bad or
/// missing signatures are dropped and logged. The kernel binds only to the connection file's address and exits
/// when its parent process (the frontend) dies.
/// <para>The session lives in a worker process (<see cref="WorkerSession"/>), so that a runaway cell can always be
/// stopped: an interrupt cancels the running cell, which loops notice at their next iteration; a cell still running
/// a grace period later is stopped by ending the worker, and a cell that ends the worker itself (Environment.Exit, a
/// stack overflow) only ends it. Either way the kernel starts a fresh worker and the cell's error says that the
/// session's state was lost, as after a kernel restart.</para>
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    /// <summary>Protocol version implemented.</summary>
    public const string ProtocolVersion = "5.3";
    private const string Delimiter = "<IDS|MSG>";

    private readonly ConnectionInfo _conn;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _hb = new();
    private readonly object _iopubLock = new(), _stdinLock = new();
    private readonly IReadOnlyList<string> _workerCommand;
    private readonly string _workingDirectory;
    private WorkerSession _scripts;
    private readonly TextWriter _log;
    private int _executionCount;
    private CancellationTokenSource? _running;
    private volatile bool _stopping;
    private readonly ManualResetEventSlim _stopped = new(false);

    /// <summary>Messages dropped for a bad or missing signature (for tests and logs).</summary>
    public int Rejected { get; private set; }

    /// <summary>How long an interrupted cell gets to stop before its worker is ended.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>The note added to the error of a cell whose worker ended: the state is gone.</summary>
    public const string StateLostNote = "The session's state (variables, types, #r references) was lost: the kernel started a fresh session, as on a kernel restart.";

    /// <summary>
    /// Creates a kernel for a connection file; sockets bind immediately and the first worker starts.
    /// <paramref name="workerCommand"/> starts a worker process serving <see cref="WorkerHost"/> (e.g. <c>workbench run-worker</c>).
    /// </summary>
    public JupyterKernel(ConnectionInfo connection, IReadOnlyList<string> workerCommand, string? workingDirectory = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(workerCommand);
        _conn = connection;
        _signer = new MessageSigner(connection.Key);
        _log = log ?? TextWriter.Null;
        _workerCommand = workerCommand;
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        _scripts = StartWorker();
        _shell.Bind(connection.Address(connection.ShellPort));
        _control.Bind(connection.Address(connection.ControlPort));
        _stdin.Bind(connection.Address(connection.StdinPort));
        _iopub.Bind(connection.Address(connection.IopubPort));
        _hb.Bind(connection.Address(connection.HbPort));
    }

    private WorkerSession StartWorker()
    {
        var w = WorkerSession.Start(_workerCommand, _workingDirectory, null, GracePeriod, _log);
        _log.WriteLine($"workbench kernel: session worker started (pid {w.ProcessId}).");
        return w;
    }

    /// <summary>Replaces an ended worker by a fresh one (a fresh session: the state is gone).</summary>
    private void Restart()
    {
        _log.WriteLine($"workbench kernel: the session worker (pid {_scripts.ProcessId}) ended; starting a fresh one.");
        _scripts.Dispose();
        _scripts = StartWorker();
    }

    /// <summary>Runs until a shutdown request or until the parent process dies. Returns the exit code.</summary>
    public int Run(int? parentPid = null)
    {
        var threads = new[]
        {
            new Thread(Heartbeat) { IsBackground = true, Name = "hb" },
            new Thread(() => Serve(_control, control: true)) { IsBackground = true, Name = "control" },
            new Thread(() => Serve(_shell, control: false)) { IsBackground = true, Name = "shell" },
        };
        foreach (var t in threads) t.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        while (!_stopping)
        {
            if (_stopped.Wait(500)) break;
            if (parentPid is int pid && !Alive(pid)) { _log.WriteLine($"workbench kernel: parent process {pid} is gone; exiting."); _stopping = true; }
        }
        _stopping = true;
        _running?.Cancel();
        foreach (var t in threads) t.Join(TimeSpan.FromSeconds(2));
        return 0;
    }

    private static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private void Heartbeat()
    {
        while (!_stopping)
        {
            if (_hb.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var frame, out bool more))
            {
                var frames = new List<byte[]> { frame };
                while (more) { frames.Add(_hb.ReceiveFrameBytes(out more)); }
                var msg = new NetMQMessage();
                foreach (var f in frames) msg.Append(f);
                _hb.SendMultipartMessage(msg);
            }
        }
    }

    private void Serve(RouterSocket socket, bool control)
    {
        while (!_stopping)
        {
            var frames = new List<byte[]>();
            if (!socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames)) continue;
            var msg = Parse(frames);
            if (msg is null) continue;
            try { Handle(socket, msg, control); }
            catch (Exception ex) { _log.WriteLine($"workbench kernel: {msg.Type} failed: {ex}"); }
        }
    }

    /// <summary>Parses and verifies a multipart message; null (logged) when malformed or badly signed.</summary>
    private WireMessage? Parse(List<byte[]> frames)
    {
        int d = frames.FindIndex(f => f.Length == Delimiter.Length && Encoding.ASCII.GetString(f) == Delimiter);
        if (d < 0 || frames.Count < d + 6) { _log.WriteLine("workbench kernel: dropped a malformed message."); Rejected++; return null; }
        var sig = Encoding.ASCII.GetString(frames[d + 1]);
        if (!_signer.Verify(sig, frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]))
        {
            Rejected++;
            _log.WriteLine("workbench kernel: dropped a message with a bad or missing signature.");
            return null;
        }
        JsonObject Obj(byte[] b) => (JsonNode.Parse(b.Length == 0 ? "{}"u8 : b) as JsonObject) ?? [];
        return new WireMessage(frames.Take(d).ToArray(), Obj(frames[d + 2]), Obj(frames[d + 3]), Obj(frames[d + 4]), Obj(frames[d + 5]));
    }

    private JsonObject Header(string type) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(), ["session"] = _session, ["username"] = "workbench", ["date"] = DateTime.UtcNow.ToString("o"),
        ["msg_type"] = type, ["version"] = ProtocolVersion,
    };

    private void Send(NetMQSocket socket, IReadOnlyList<byte[]> identities, string type, JsonObject content, WireMessage? parent, JsonObject? metadata = null)
    {
        var h = Encoding.UTF8.GetBytes(Header(type).ToJsonString());
        var p = Encoding.UTF8.GetBytes(parent?.Header.ToJsonString() ?? "{}");
        var m = Encoding.UTF8.GetBytes((metadata ?? []).ToJsonString());
        var c = Encoding.UTF8.GetBytes(content.ToJsonString());
        var msg = new NetMQMessage();
        foreach (var id in identities) msg.Append(id);
        msg.Append(Delimiter);
        msg.Append(_signer.Sign(h, p, m, c));
        msg.Append(h); msg.Append(p); msg.Append(m); msg.Append(c);
        socket.SendMultipartMessage(msg);
    }

    private void Reply(NetMQSocket socket, WireMessage request, string type, JsonObject content)
    {
        lock (socket) Send(socket, request.Identities, type, content, request);
    }

    private void Publish(string type, JsonObject content, WireMessage? parent)
    {
        byte[] topic = Encoding.UTF8.GetBytes($"kernel.{_session}.{type}");
        lock (_iopubLock) Send(_iopub, [topic], type, content, parent);
    }

    private void Handle(RouterSocket socket, WireMessage msg, bool control)
    {
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, msg);
        try
        {
            switch (msg.Type)
            {
                case "kernel_info_request": Reply(socket, msg, "kernel_info_reply", KernelInfo()); break;
                case "execute_request": Execute(socket, msg); break;
                case "complete_request":
                {
                    string code = msg.Content["code"]?.GetValue<string>() ?? "";
                    int cursor = CursorToIndex(code, msg.Content["cursor_pos"]?.GetValue<int>() ?? code.Length);
                    var (matches, start, end) = _scripts.Complete(code, cursor);
                    Reply(socket, msg, "complete_reply", new JsonObject
                    {
                        ["status"] = "ok", ["matches"] = new JsonArray(matches.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
                        ["cursor_start"] = IndexToCursor(code, start), ["cursor_end"] = IndexToCursor(code, end), ["metadata"] = new JsonObject(),
                    });
                    break;
                }
                case "inspect_request":
                {
                    string code = msg.Content["code"]?.GetValue<string>() ?? "";
                    var text = _scripts.Inspect(code, CursorToIndex(code, msg.Content["cursor_pos"]?.GetValue<int>() ?? code.Length));
                    Reply(socket, msg, "inspect_reply", new JsonObject
                    {
                        ["status"] = "ok", ["found"] = text is not null,
                        ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text }, ["metadata"] = new JsonObject(),
                    });
                    break;
                }
                case "is_complete_request":
                {
                    var status = ScriptSession.IsComplete(msg.Content["code"]?.GetValue<string>() ?? "");
                    var content = new JsonObject { ["status"] = status };
                    if (status == "incomplete") content["indent"] = "";
                    Reply(socket, msg, "is_complete_reply", content);
                    break;
                }
                case "comm_info_request": Reply(socket, msg, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "history_request": Reply(socket, msg, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                case "interrupt_request":
                    _running?.Cancel();
                    Reply(socket, msg, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    bool restart = msg.Content["restart"]?.GetValue<bool>() ?? false;
                    _running?.Cancel();
                    Reply(socket, msg, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    _stopping = true;
                    _stopped.Set();
                    break;
                default:
                    _log.WriteLine($"workbench kernel: ignoring unsupported {msg.Type} on {(control ? "control" : "shell")}.");
                    break;
            }
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, msg);
        }
    }

    /// <summary>Jupyter cursor positions count Unicode code points; .NET strings count UTF-16 units.</summary>
    private static int CursorToIndex(string code, int cursor)
    {
        int i = 0, cp = 0;
        while (i < code.Length && cp < cursor) { i += char.IsSurrogatePair(code, i) ? 2 : 1; cp++; }
        return i;
    }

    private static int IndexToCursor(string code, int index)
    {
        int cp = 0;
        for (int i = 0; i < index && i < code.Length; i++) { if (char.IsHighSurrogate(code[i]) && i + 1 < code.Length && char.IsLowSurrogate(code[i + 1])) i++; cp++; }
        return cp;
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok", ["protocol_version"] = ProtocolVersion, ["implementation"] = "workbench",
        ["implementation_version"] = typeof(JupyterKernel).Assembly.GetName().Version?.ToString() ?? "0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#", ["version"] = "13.0", ["mimetype"] = "text/x-csharp", ["file_extension"] = ".cs", ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = "Workbench C# kernel (Roslyn scripting) — https://www.idea.int/publications/catalogue/digital-microtargeting",
        ["help_links"] = new JsonArray(), ["debugger"] = false,
    };

    private void Execute(RouterSocket socket, WireMessage msg)
    {
        string code = msg.Content["code"]?.GetValue<string>() ?? "";
        bool silent = msg.Content["silent"]?.GetValue<bool>() ?? false;
        bool store = (msg.Content["store_history"]?.GetValue<bool>() ?? true) && !silent;
        bool allowStdin = msg.Content["allow_stdin"]?.GetValue<bool>() ?? false;
        if (store) _executionCount++;
        int count = _executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, msg);
        using var cts = new CancellationTokenSource();
        _running = cts;
        CellResult result;
        if (!_scripts.IsAlive)
        {
            // The worker ended between cells (a background thread of an earlier cell ended it).
            Restart();
            if (!silent) Publish("stream", new JsonObject { ["name"] = "stderr", ["text"] = "The session's worker process had ended. " + StateLostNote + "\n" }, msg);
        }
        try { result = _scripts.RunAsync(code, allowStdin ? prompt => RequestInput(msg, prompt) : null, cts.Token).GetAwaiter().GetResult(); }
        finally { _running = null; }
        if (!_scripts.IsAlive)
        {
            Restart();
            result = result with { Outputs = result.Outputs.Select(o => o.OutputType == "error" ? o with { EValue = o.EValue + " " + StateLostNote, Traceback = [.. o.Traceback ?? [], StateLostNote] } : o).ToArray() };
        }
        CellOutput? error = null;
        if (!silent)
        {
            foreach (var o in result.Outputs)
            {
                switch (o.OutputType)
                {
                    case "stream": Publish("stream", new JsonObject { ["name"] = o.StreamName ?? "stdout", ["text"] = o.Text ?? "" }, msg); break;
                    case "display_data":
                        Publish(o.IsUpdate ? "update_display_data" : "display_data", new JsonObject
                        {
                            ["data"] = Bundle(o.Data), ["metadata"] = new JsonObject(),
                            ["transient"] = o.DisplayId is null ? new JsonObject() : new JsonObject { ["display_id"] = o.DisplayId },
                        }, msg);
                        break;
                    case "execute_result":
                        Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = Bundle(o.Data), ["metadata"] = new JsonObject() }, msg);
                        break;
                    case "error":
                        error = o;
                        Publish("error", ErrorContent(o), msg);
                        break;
                }
            }
        }
        else error = result.Outputs.FirstOrDefault(o => o.OutputType == "error");
        var reply = error is null
            ? new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() }
            : ErrorContent(error);
        if (error is not null) { reply["status"] = "error"; reply["execution_count"] = count; }
        Reply(socket, msg, "execute_reply", reply);
    }

    private static JsonObject ErrorContent(CellOutput o) => new()
    {
        ["ename"] = o.EName ?? "Error", ["evalue"] = o.EValue ?? "",
        ["traceback"] = new JsonArray((o.Traceback ?? []).Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    };

    private static JsonObject Bundle(IReadOnlyDictionary<string, string>? data)
    {
        var o = new JsonObject();
        if (data is null) return o;
        foreach (var (k, v) in data)
            o[k] = k.EndsWith("json", StringComparison.Ordinal) && JsonNode.Parse(v) is { } parsed ? parsed : JsonValue.Create(v);
        return o;
    }

    /// <summary>Asks the frontend for a line of input over the stdin socket (input_request / input_reply).</summary>
    private string? RequestInput(WireMessage parent, string prompt)
    {
        lock (_stdinLock)
        {
            Send(_stdin, parent.Identities, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, parent);
            while (!_stopping)
            {
                var frames = new List<byte[]>();
                if (_running?.IsCancellationRequested == true) return null;
                if (!_stdin.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames)) continue;
                var reply = Parse(frames);
                if (reply?.Type == "input_reply") return reply.Content["value"]?.GetValue<string>() ?? "";
            }
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _hb }) { try { s.Dispose(); } catch (ObjectDisposedException) { } }
        _scripts.Dispose();
        NetMQConfig.Cleanup(block: false);
    }
}
