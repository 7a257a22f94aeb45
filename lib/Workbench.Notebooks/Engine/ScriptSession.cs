using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;
using Workbench.Notebooks.Display;

namespace Workbench.Notebooks.Engine;

/// <summary>One output of a cell, as a Jupyter output: stream, display_data, execute_result or error.</summary>
public sealed record CellOutput(string OutputType, IReadOnlyDictionary<string, string>? Data = null, string? StreamName = null, string? Text = null,
    string? EName = null, string? EValue = null, IReadOnlyList<string>? Traceback = null, string? DisplayId = null, bool IsUpdate = false);

/// <summary>The outcome of running one cell.</summary>
public sealed record CellResult(IReadOnlyList<CellOutput> Outputs, bool Failed, TimeSpan Elapsed)
{
    /// <summary>
    /// True when the cell was cancelled (timeout or interrupt) but its code did not stop within the grace period (code
    /// that never checks for cancellation: deep recursion, a long library call, a blocking wait): it was abandoned and
    /// still runs on a thread of this process. Only ending the process stops it, which a worker process does.
    /// </summary>
    public bool StillRunning { get; init; }
}

/// <summary>Something that runs the cells of one notebook in order, state carried from cell to cell: a <see cref="ScriptSession"/> in this process or a <see cref="WorkerSession"/> in a worker process.</summary>
public interface ICellSession : IDisposable
{
    /// <summary>Runs one cell and returns its outputs; <paramref name="cancellationToken"/> interrupts it.</summary>
    Task<CellResult> RunAsync(string code, CancellationToken cancellationToken = default);
}

/// <summary>
/// A C# session on Roslyn scripting: cells run one after another with state carried over
/// (variables, usings, types), the default usings of .NET Interactive, the trailing expression as
/// the result, Console output captured per session, compile errors and exceptions as error
/// outputs with line numbers relative to the cell, a per-cell timeout and cancellation.
/// Directives: <c>#r "path.dll"</c> (relative to the notebook's folder; loaded with its dependencies
/// into the default load context), <c>#r "nuget: Name, Version"</c> and <c>#i "nuget: source"</c>
/// (restored by <see cref="NuGetResolver"/>), <c>#!csharp</c>, <c>#!time</c>; any other magic is
/// an error that names it.
/// </summary>
public sealed class ScriptSession : ICellSession
{
    /// <summary>Default usings, as in .NET Interactive's C# kernel.</summary>
    public static IReadOnlyList<string> DefaultUsings { get; } =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private readonly InteractiveAssemblyLoader _loader = new();
    private readonly List<string> _probeDirs = [];
    private readonly List<string> _nugetSources = [];
    private ScriptOptions _options;
    private ScriptState<object?>? _state;
    private readonly ScriptGlobals _globals = new();
    private List<CellOutput>? _outputs;
    private StringBuilder? _stdout, _stderr;
    private OutputBudget? _budget;
    private long _sessionOutput;
    private int _displayCounter;

    /// <summary>
    /// The default <see cref="CellOutputLimit"/>: 16 MB of output text (16,777,216 characters) per cell, streams and
    /// formatted displays and results together. See docs/limits.md.
    /// </summary>
    public const long DefaultCellOutputLimit = 16L << 20;
    /// <summary>The default <see cref="SessionOutputLimit"/>: 64 MB of output text (67,108,864 characters) per notebook.</summary>
    public const long DefaultSessionOutputLimit = 64L << 20;

    /// <summary>The folder relative paths resolve against (the notebook's folder).</summary>
    public string WorkingDirectory { get; }
    /// <summary>Per-cell timeout (null: none).</summary>
    public TimeSpan? CellTimeout { get; set; }
    /// <summary>How long a cancelled cell (timeout or interrupt) gets to stop before it is abandoned (<see cref="CellResult.StillRunning"/>); default 3 s.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>
    /// The most output text (characters) one cell may produce: Console output (stdout and stderr), displays and the
    /// result, as formatted. A cell that passes it is stopped (its writes and displays throw, its loops are cancelled),
    /// what passed the limit is dropped, and the cell fails with <c>OutputLimitExceeded</c>; memory stays bounded
    /// however much the cell prints.
    /// </summary>
    public long CellOutputLimit { get; set; } = DefaultCellOutputLimit;
    /// <summary>The most output text (characters) all the cells of this session (one notebook) may produce together; enforced as <see cref="CellOutputLimit"/> is.</summary>
    public long SessionOutputLimit { get; set; } = DefaultSessionOutputLimit;
    /// <summary>Called when a cell has compiled and starts to run (when its timeout's clock starts); a worker tells its parent.</summary>
    internal Action? RunStarting { get; set; }
    /// <summary>Formatters used for results and display().</summary>
    public FormatterRegistry Formatters { get; } = FormatterRegistry.Default();

    /// <summary>Creates a session resolving relative paths against <paramref name="workingDirectory"/>.</summary>
    public ScriptSession(string? workingDirectory = null)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        ConsoleRouter.Install();
        AssemblyLoadContext.Default.Resolving += ResolveFromProbeDirs;
        _options = ScriptOptions.Default
            .WithImports(DefaultUsings.Append("Workbench.Notebooks.Display"))
            .AddReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(ScriptSession).Assembly,
                typeof(System.Text.Json.JsonSerializer).Assembly, typeof(System.Collections.Generic.List<>).Assembly)
            .WithFilePath(Path.Combine(WorkingDirectory, "notebook.csx"))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(WorkingDirectory).WithSearchPaths(RuntimeEnvironment()))
            .WithEmitDebugInformation(false)
            .WithAllowUnsafe(true);
    }

    private static string[] RuntimeEnvironment() => [Path.GetDirectoryName(typeof(object).Assembly.Location)!];

    private Assembly? ResolveFromProbeDirs(AssemblyLoadContext ctx, AssemblyName name)
    {
        foreach (var dir in _probeDirs)
        {
            var candidate = Path.Combine(dir, name.Name + ".dll");
            if (File.Exists(candidate)) return ctx.LoadFromAssemblyPath(candidate);
        }
        return null;
    }

    private static readonly Regex RefDirective = new(@"^\s*#r\s+""(?<what>[^""]+)""\s*$", RegexOptions.Compiled);
    private static readonly Regex IncludeDirective = new(@"^\s*#i\s+""(?<what>[^""]+)""\s*$", RegexOptions.Compiled);
    private static readonly Regex Magic = new(@"^\s*#!(?<name>[\w\-]+)", RegexOptions.Compiled);

    /// <summary>Runs one cell of C# and returns its outputs.</summary>
    public async Task<CellResult> RunAsync(string code, CancellationToken cancellationToken = default)
    {
        var outputs = new List<CellOutput>();
        _outputs = outputs; _stdout = new StringBuilder(); _stderr = new StringBuilder();
        var sw = Stopwatch.StartNew();
        bool failed = false, time = false;
        // The timeout measures the cell's run: its clock starts once the cell has compiled (see below).
        using var timeout = new CancellationTokenSource();
        // Cancelled when the cell's output passes its limit (OutputBudget).
        using var overflow = new CancellationTokenSource();
        var budget = _budget = new OutputBudget(this, overflow);
        using var sink = DisplayContext.Enter(new Sink(this));
        using var capture = ConsoleRouter.Capture(new LockedStringWriter(_stdout, budget), new LockedStringWriter(_stderr, budget));
        try
        {
            // Directives and magics: handled here, replaced by blank lines so line numbers stay right.
            var lines = code.Replace("\r\n", "\n").Split('\n');
            if (ApplyDirectives(lines, outputs, sw, ref time) is { } unsupported) return unsupported;
            var source = string.Join('\n', lines);
            if (source.Trim().Length == 0) return Done(outputs, sw, false, time);
            source = LoopGuard.Rewrite(source);

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, overflow.Token);
            _globals.__WorkbenchCancellation = linked.Token;
            var run = StartRun(source, linked, timeout);
            // Loops check the token (LoopGuard) and stop at their next iteration; the cell gets a grace period to get
            // there. Code that never checks (recursion, a library call, a blocking wait) is abandoned after it, still
            // running (CellResult.StillRunning); the session's state stays as it was before the cell either way.
            var finished = await Task.WhenAny(run, Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (finished != run) return await Abandon(run, budget, outputs, sw, timeout, cancellationToken);
            ScriptState<object?> state;
            try { state = await run; }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                if (budget.Exceeded) return budget.Failure(outputs, sw, stopped: true);
                bool timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                return Fail(outputs, sw, timedOut ? "TimeoutException" : "OperationCanceledException", Stopped(timedOut, stopped: true));
            }
            // A cell that passed its output limit fails with that, however it ended (it may have caught the exception).
            if (budget.Exceeded) return budget.Failure(outputs, sw, stopped: true);
            FlushStreams(outputs);
            if (state.Exception is { } ex)
            {
                failed = true;
                outputs.Add(ErrorOutput(ex));
            }
            else
            {
                _state = state;
                if (state.ReturnValue is { } value)
                {
                    var data = Formatters.Format(value);
                    if (!budget.TryTake(OutputBudget.Size(data))) return budget.Failure(outputs, sw, stopped: true);
                    outputs.Add(new CellOutput("execute_result", data));
                }
            }
            return Done(outputs, sw, failed, time);
        }
        catch (CompilationErrorException ex)
        {
            FlushStreams(outputs);
            outputs.Add(CompilationError(ex));
            return Done(outputs, sw, true, time);
        }
        catch (Exception ex) when (ex is FileNotFoundException or BadImageFormatException or InvalidOperationException or NuGetResolveException)
        {
            FlushStreams(outputs);
            outputs.Add(ErrorOutput(ex));
            return Done(outputs, sw, true, time);
        }
        finally
        {
            _outputs = null;
            _budget = null;
            Interlocked.Add(ref _sessionOutput, budget.Used);
        }
    }

    /// <summary>
    /// Handles the cell's directives and magics (<c>#!csharp</c>, <c>#!time</c>, <c>#r</c>, <c>#i</c>), blanking their lines so
    /// line numbers stay right; sets <paramref name="time"/> at <c>#!time</c> and returns the failure for an unsupported magic (else null).
    /// </summary>
    private CellResult? ApplyDirectives(string[] lines, List<CellOutput> outputs, Stopwatch sw, ref bool time)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Magic.Match(lines[i]);
            if (m.Success)
            {
                switch (m.Groups["name"].Value)
                {
                    case "csharp": case "c#": break;
                    case "time": time = true; break;
                    default:
                        return Fail(outputs, sw, "UnsupportedMagic", $"The magic command '#!{m.Groups["name"].Value}' is not supported. Supported: #!csharp, #!markdown, #!time, #r, #i.");
                }
                lines[i] = ""; continue;
            }
            var r = RefDirective.Match(lines[i]);
            if (r.Success) { AddReference(r.Groups["what"].Value); lines[i] = ""; continue; }
            var inc = IncludeDirective.Match(lines[i]);
            if (inc.Success)
            {
                var what = inc.Groups["what"].Value;
                if (!what.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) throw new CompilationErrorException($"#i supports only \"nuget: SOURCE\"; got \"{what}\".", []);
                _nugetSources.Add(what[6..].Trim());
                lines[i] = ""; continue;
            }
        }
        return null;
    }

    /// <summary>
    /// Starts the cell on a worker thread (Roslyn runs a submission synchronously up to its first await): it compiles first
    /// (an interrupt stops that too), then the timeout's clock starts as it begins to run, so that a cold compiler (the first
    /// cell of a fresh process) does not eat into it.
    /// </summary>
    private Task<ScriptState<object?>> StartRun(string source, CancellationTokenSource linked, CancellationTokenSource timeout)
    {
        var previous = _state;
        var opts = _options;
        return Task.Run(() =>
        {
            var script = previous is null ? CSharpScript.Create<object?>(source, opts, typeof(ScriptGlobals), _loader) : previous.Script.ContinueWith<object?>(source, opts);
            script.Compile(linked.Token);
            RunStarting?.Invoke();
            if (CellTimeout is { } t) timeout.CancelAfter(t);
            bool Catch(Exception ex) => ex is not OperationCanceledException || !linked.IsCancellationRequested;
            return previous is null ? script.RunAsync(_globals, Catch, linked.Token) : script.RunFromAsync(previous, Catch, linked.Token);
        });
    }

    /// <summary>
    /// The result of a cell cancelled (timeout, interrupt or output limit) before it finished: it gets the grace period to stop,
    /// and is reported as still running when it does not.
    /// </summary>
    private async Task<CellResult> Abandon(Task<ScriptState<object?>> run, OutputBudget budget, List<CellOutput> outputs, Stopwatch sw,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        bool stopped = await Task.WhenAny(run, Task.Delay(GracePeriod)) == run;
        if (stopped) _ = run.Exception; // observed: the cancellation it ended with is reported below
        if (budget.Exceeded) return budget.Failure(outputs, sw, stopped);
        bool timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        var failure = Fail(outputs, sw, timedOut ? "TimeoutException" : "OperationCanceledException", Stopped(timedOut, stopped));
        return stopped ? failure : failure with { StillRunning = true };
    }

    /// <summary>The error output of a cell that did not compile: each error diagnostic with its line and column in the cell.</summary>
    private static CellOutput CompilationError(CompilationErrorException ex)
    {
        var diags = ex.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        var lines = diags.Length == 0 ? [ex.Message] : diags.Select(d =>
        {
            var pos = d.Location.GetLineSpan().StartLinePosition;
            return $"({pos.Line + 1},{pos.Character + 1}): error {d.Id}: {d.GetMessage()}";
        }).ToArray();
        return new CellOutput("error", EName: "CompilationError", EValue: string.Join("\n", lines), Traceback: lines);
    }

    /// <summary>
    /// The output one cell may still produce (the smaller of the cell's limit and what is left of the session's). Text
    /// that passes it is refused: the write or display throws <see cref="OutputLimitException"/>, the cell's loops are
    /// cancelled, and everything the cell writes after that is dropped, so the captured output never grows past it.
    /// </summary>
    internal sealed class OutputBudget(ScriptSession session, CancellationTokenSource overflow)
    {
        private readonly object _gate = new();
        private readonly long _cellLimit = session.CellOutputLimit;
        private readonly long _sessionLeft = Math.Max(0, session.SessionOutputLimit - Interlocked.Read(ref session._sessionOutput));
        private long _used;
        private volatile bool _exceeded;

        /// <summary>The characters the cell has produced.</summary>
        public long Used { get { lock (_gate) return _used; } }
        /// <summary>True once the cell has passed its limit.</summary>
        public bool Exceeded => _exceeded;
        private long Limit => Math.Min(_cellLimit, _sessionLeft);

        /// <summary>The size of a MIME bundle: the characters of its contents.</summary>
        public static long Size(IReadOnlyDictionary<string, string> bundle) => bundle.Values.Sum(v => (long)(v?.Length ?? 0));

        /// <summary>Takes <paramref name="chars"/> from the budget, all or nothing; false (and the cell stopped) when they do not fit.</summary>
        public bool TryTake(long chars)
        {
            lock (_gate)
            {
                if (!_exceeded && _used + chars <= Limit) { _used += chars; return true; }
                Overflowed();
                return false;
            }
        }

        /// <summary>Takes as many of <paramref name="chars"/> as fit and returns that number; the cell is stopped when not all fit.</summary>
        public int Grant(int chars)
        {
            lock (_gate)
            {
                if (_exceeded) return 0;
                int granted = (int)Math.Min(chars, Math.Max(0, Limit - _used));
                _used += granted;
                if (granted < chars) Overflowed();
                return granted;
            }
        }

        private void Overflowed()
        {
            _exceeded = true;
            try { overflow.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>The exception a write or display past the limit throws into the cell.</summary>
        public OutputLimitException Exception() => new(Message());

        private string Message()
        {
            bool cell = _cellLimit <= _sessionLeft;
            return cell
                ? $"The cell's output passed the limit of {Describe(_cellLimit)} per cell"
                : $"The notebook's output passed the limit of {Describe(session.SessionOutputLimit)} per notebook ({Describe(_sessionLeft)} were left for this cell)";
        }

        private static string Describe(long chars) =>
            chars >= 1 << 20 && chars % (1 << 20) == 0
                ? $"{(chars >> 20).ToString(System.Globalization.CultureInfo.InvariantCulture)} MB ({chars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters)"
                : $"{chars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters";

        /// <summary>The cell's failure: the output that fitted, then the error (<paramref name="stopped"/>: the cell stopped within the grace period).</summary>
        public CellResult Failure(List<CellOutput> outputs, Stopwatch sw, bool stopped)
        {
            var message = Message() + "; it was stopped and the rest of its output dropped (see docs/limits.md)."
                + (stopped ? "" : $" It did not stop within {session.GracePeriod.TotalSeconds:0.##} s (code that never checks for cancellation); " + AbandonedNote);
            var failure = session.Fail(outputs, sw, "OutputLimitExceeded", message);
            return stopped ? failure : failure with { StillRunning = true };
        }
    }

    /// <summary>The message of a cell stopped by its timeout or an interrupt (<paramref name="stopped"/>: within the grace period).</summary>
    private string Stopped(bool timedOut, bool stopped)
    {
        var what = timedOut ? $"The cell timed out after {CellTimeout!.Value.TotalSeconds:0.##} s" : "The cell was interrupted";
        return stopped ? what + " and was stopped."
            : what + $" and did not stop within {GracePeriod.TotalSeconds:0.##} s (code that never checks for cancellation: recursion, a long library call, a blocking wait); " + AbandonedNote;
    }

    /// <summary>How the error of a cell that could not be stopped ends (a worker process replaces it when it exits).</summary>
    internal const string AbandonedNote = "it was abandoned and still runs.";

    private CellResult Fail(List<CellOutput> outputs, Stopwatch sw, string name, string message)
    {
        FlushStreams(outputs);
        outputs.Add(new CellOutput("error", EName: name, EValue: message, Traceback: [$"{name}: {message}"]));
        return new CellResult(outputs, true, sw.Elapsed);
    }

    private CellResult Done(List<CellOutput> outputs, Stopwatch sw, bool failed, bool time)
    {
        FlushStreams(outputs);
        if (time) outputs.Add(new CellOutput("stream", StreamName: "stdout", Text: $"Wall time: {sw.Elapsed.TotalMilliseconds:0.###} ms\n"));
        return new CellResult(outputs, failed, sw.Elapsed);
    }

    private void FlushStreams(List<CellOutput> outputs)
    {
        if (_stdout is { Length: > 0 }) { lock (_stdout) { outputs.Add(new CellOutput("stream", StreamName: "stdout", Text: _stdout.ToString())); _stdout.Clear(); } }
        if (_stderr is { Length: > 0 }) { lock (_stderr) { outputs.Add(new CellOutput("stream", StreamName: "stderr", Text: _stderr.ToString())); _stderr.Clear(); } }
    }

    private static CellOutput ErrorOutput(Exception ex)
    {
        if (ex is TargetInvocationException { InnerException: { } inner }) ex = inner;
        var trace = new List<string> { $"{ex.GetType().Name}: {ex.Message}" };
        var st = new StackTrace(ex, true);
        foreach (var f in st.GetFrames())
        {
            var m = f.GetMethod();
            if (m?.DeclaringType?.Assembly.IsDynamic == true || m?.DeclaringType?.FullName?.StartsWith("Submission#", StringComparison.Ordinal) == true)
            {
                int line = f.GetFileLineNumber();
                trace.Add(line > 0 ? $"   at cell line {line}" : "   at the cell");
            }
            else if (m is not null && m.DeclaringType?.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) != true)
                trace.Add($"   at {m.DeclaringType?.FullName}.{m.Name}");
        }
        return new CellOutput("error", EName: ex.GetType().Name, EValue: ex.Message, Traceback: trace);
    }

    /// <summary>
    /// Completions at <paramref name="cursor"/> in <paramref name="code"/> (a cell not yet run), from Roslyn's
    /// semantic model of the cell on top of the session's state: members after a dot, otherwise symbols in scope
    /// and keywords. Returns the matches and the span of the text they replace.
    /// </summary>
    public (IReadOnlyList<string> Matches, int Start, int End) Complete(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        string prefix = code[start..cursor];
        var (model, tree) = Analyse(code);
        var root = tree.GetRoot();
        IEnumerable<ISymbol> symbols;
        int dot = start - 1;
        while (dot >= 0 && char.IsWhiteSpace(code[dot])) dot--;
        if (dot >= 0 && code[dot] == '.')
        {
            var token = root.FindToken(dot);
            var access = token.Parent as Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax;
            ITypeSymbol? type = null; INamespaceOrTypeSymbol? container = null;
            if (access is not null)
            {
                var target = model.GetSymbolInfo(access.Expression).Symbol;
                if (target is INamespaceOrTypeSymbol nt) container = nt;
                else type = model.GetTypeInfo(access.Expression).Type;
            }
            container ??= type;
            symbols = container is null ? [] : model.LookupSymbols(dot + 1, container, includeReducedExtensionMethods: true)
                .Where(sy => sy.CanBeReferencedByName && (container is not ITypeSymbol || type is null || !sy.IsStatic || sy is ITypeSymbol));
            var names = symbols.Select(sy => sy.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
            return (names, start, cursor);
        }
        symbols = model.LookupSymbols(Math.Max(0, start)).Where(sy => sy.CanBeReferencedByName);
        var keywords = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKinds().Select(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetText);
        var all = symbols.Select(sy => sy.Name).Concat(keywords).Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !n.StartsWith("<", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        return (all, start, cursor);
    }

    /// <summary>What Roslyn knows about the symbol at <paramref name="cursor"/>: its signature and documentation summary, or null.</summary>
    public string? Inspect(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var (model, tree) = Analyse(code);
        int pos = cursor > 0 && (cursor == code.Length || !char.IsLetterOrDigit(code[cursor])) ? cursor - 1 : cursor;
        var token = tree.GetRoot().FindToken(Math.Max(0, pos));
        for (var node = token.Parent; node is not null; node = node.Parent)
        {
            var symbol = model.GetSymbolInfo(node).Symbol ?? model.GetDeclaredSymbol(node) ?? model.GetSymbolInfo(node).CandidateSymbols.FirstOrDefault();
            if (symbol is null) { if (model.GetTypeInfo(node).Type is { } t && node is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax) symbol = t; else continue; }
            var text = symbol.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithMemberOptions(
                SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeContainingType));
            var xml = symbol.GetDocumentationCommentXml();
            if (!string.IsNullOrWhiteSpace(xml))
            {
                var summary = Regex.Match(xml, "<summary>(.*?)</summary>", RegexOptions.Singleline);
                if (summary.Success) text += "\n\n" + Regex.Replace(Regex.Replace(summary.Groups[1].Value, "<see cref=\"\\w:([^\"]+)\"\\s*/>", "$1"), @"\s+", " ").Trim();
            }
            return text;
        }
        return null;
    }

    /// <summary>Whether <paramref name="code"/> is a complete submission (Jupyter's is_complete): "complete", "incomplete" or "invalid".</summary>
    public static string IsComplete(string code)
    {
        var tree = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseSyntaxTree(code, Microsoft.CodeAnalysis.CSharp.CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        if (Microsoft.CodeAnalysis.CSharp.SyntaxFactory.IsCompleteSubmission(tree)) return "complete";
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error && d.Id is not ("CS1733" or "CS1026" or "CS1513" or "CS1002" or "CS1003" or "CS1525" or "CS1010" or "CS1039")) ? "invalid" : "incomplete";
    }

    private (SemanticModel Model, SyntaxTree Tree) Analyse(string code)
    {
        var script = _state is null
            ? CSharpScript.Create<object?>(code, _options, typeof(ScriptGlobals), _loader)
            : _state.Script.ContinueWith<object?>(code, _options);
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        return (compilation.GetSemanticModel(tree), tree);
    }

    /// <summary>Adds a <c>#r</c> reference: a dll path (relative to the notebook) or <c>nuget: Name, Version</c>.</summary>
    public void AddReference(string what)
    {
        if (what.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            var spec = what[6..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (spec.Length == 0) throw new NuGetResolveException("#r \"nuget:\" needs a package name.");
            foreach (var dll in NuGetResolver.Resolve(spec[0], spec.Length > 1 ? spec[1] : null, _nugetSources)) LoadAssembly(dll);
            return;
        }
        var path = Path.IsPathRooted(what) ? what : Path.GetFullPath(Path.Combine(WorkingDirectory, what));
        if (!File.Exists(path)) throw new FileNotFoundException($"#r: the assembly '{what}' was not found (looked for {path}). Build the library first: dotnet build -c Release.", path);
        LoadAssembly(path);
    }

    private readonly ConcurrentDictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

    private void LoadAssembly(string path)
    {
        if (_loaded.ContainsKey(path)) return;
        var dir = Path.GetDirectoryName(path)!;
        if (!_probeDirs.Contains(dir)) _probeDirs.Add(dir);
        var name = AssemblyName.GetAssemblyName(path);
        var asm = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name)
                  ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        _loaded[path] = asm;
        _loader.RegisterDependency(asm);
        _options = _options.AddReferences(MetadataReference.CreateFromFile(asm.Location));
        // Register the assembly's own references found beside it, so types from them resolve too.
        foreach (var r in asm.GetReferencedAssemblies())
        {
            var candidate = Path.Combine(dir, r.Name + ".dll");
            if (File.Exists(candidate) && !_loaded.ContainsKey(candidate)) LoadAssembly(candidate);
        }
    }

    /// <summary>The session as the display sink of its running cell: display(x) adds a display_data output to it.</summary>
    private sealed class Sink(ScriptSession session) : IDisplaySink
    {
        public string NextDisplayId() => $"display-{Interlocked.Increment(ref session._displayCounter)}";

        public void Display(object? value, string displayId, bool update)
        {
            if (session._outputs is not { } outputs) return;
            var data = session.Formatters.Format(value);
            if (session._budget is { } budget && !budget.TryTake(OutputBudget.Size(data))) throw budget.Exception();
            session.FlushStreams(outputs);
            outputs.Add(new CellOutput("display_data", data, DisplayId: displayId, IsUpdate: update));
        }
    }

    /// <summary>Variables of the session's state (for inspection and completion).</summary>
    public IReadOnlyList<(string Name, Type Type, object? Value)> Variables =>
        _state?.Variables.Select(v => (v.Name, v.Type, (object?)v.Value)).ToArray() ?? [];

    /// <inheritdoc />
    public void Dispose() => AssemblyLoadContext.Default.Resolving -= ResolveFromProbeDirs;
}

/// <summary>
/// A writer into a StringBuilder that the session also reads (callers lock on the builder), within the cell's output
/// budget when it has one: the text that still fits is kept, and a write that does not fit throws
/// <see cref="OutputLimitException"/> (as does every write after it).
/// </summary>
internal sealed class LockedStringWriter(StringBuilder sb, ScriptSession.OutputBudget? budget = null) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;
    public override void Write(char value) => Write([value]);
    public override void Write(string? value) { if (value is not null) Write(value.AsSpan()); }
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> text)
    {
        lock (sb)
        {
            if (budget is null) { sb.Append(text); return; }
            int granted = budget.Grant(text.Length);
            sb.Append(text[..granted]);
            if (granted == text.Length && !budget.Exceeded) return;
        }
        throw budget.Exception();
    }
}

/// <summary>The globals of a script: <c>display(x)</c> as in .NET Interactive.</summary>
public class ScriptGlobals
{
    /// <summary>The running cell's cancellation (timeout or interrupt); loops check it (see LoopGuard).</summary>
    public CancellationToken __WorkbenchCancellation { get; set; }

    /// <summary>Displays a value as a rich output; returns a handle whose Update() replaces it.</summary>
    public Display.DisplayHandle display(object? value) => Display.DisplayExtensions.Display(value);
}

/// <summary>Thrown into a cell by a write or display that passes its output limit (<see cref="ScriptSession.CellOutputLimit"/>).</summary>
public sealed class OutputLimitException(string message) : Exception(message);

/// <summary>A <c>#r "nuget:"</c> that could not be resolved.</summary>
public sealed class NuGetResolveException(string message) : Exception(message);
