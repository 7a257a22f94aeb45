using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using Workbench.Notebooks;
using Workbench.Notebooks.Engine;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench run PATH... [--out DIR] [--in-place] [--parameters k=v ...] [--timeout-per-cell S] [--check [--tolerance REL] | --update]</c>:
/// executes notebooks headless, each in a fresh session in a worker process of its own (<c>workbench run-worker</c>),
/// and writes the executed .ipynb and an offline HTML page. A notebook whose worker crashes, or whose cell cannot be
/// stopped after its timeout or Ctrl+C, fails alone; the others' outputs are still written.
/// <para>
/// The chapters are committed executed. <c>--check</c> compares each rerun cell's outputs with the committed ones
/// (<see cref="OutputCheck"/>: text and tables exactly, numbers within the tolerance a cell or notebook states, charts by
/// their data), prints every difference with its cell, and exits 1 if any; <c>--update</c> re-executes the notebooks in
/// place, gives their charts static pictures (<see cref="ChartImages.AddStaticPictures"/>, with Chromium) and strips
/// volatile metadata, so a chapter whose figures a library change moved is re-committed with them.
/// </para>
/// </summary>
internal sealed class RunCommand : CliCommand
{
    public override Command Build()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Notebooks (.ipynb) or folders of notebooks (run in name order).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Output folder (default artifacts/notebooks).", DefaultValueFactory = _ => Path.Combine("artifacts", "notebooks") };
        var inPlace = new Option<bool>("--in-place") { Description = "Write the executed notebook over its source (HTML still goes to --out)." };
        var parameters = new Option<string[]>("--parameters") { Description = "Overrides of the cell tagged \"parameters\": name=value (C# literals), as papermill does.", AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<double>("--timeout-per-cell") { Description = "Seconds a cell may run (default 300).", DefaultValueFactory = _ => 300 };
        var png = new Option<string?>("--png") { Description = "Also render every chart to PNG in this folder (NAME-cellNN-K.png), with headless Chromium." };
        var check = new Option<bool>("--check") { Description = "Compare each cell's outputs with the committed ones (numbers within the tolerance the cell or notebook states in metadata.workbench.tolerance; charts by their data); print every difference and exit 1 if any." };
        var tolerance = new Option<double>("--tolerance") { Description = "With --check: the smallest relative tolerance for numbers, for reruns on another machine or SDK (default 0: exact unless the notebook states one).", DefaultValueFactory = _ => 0 };
        var update = new Option<bool>("--update") { Description = "Re-execute in place: write each notebook's outputs over the committed ones, with static chart pictures (Chromium) and volatile metadata stripped." };
        var cmd = new Command("run", "Execute notebooks headless: executed .ipynb and standalone offline HTML into --out; non-zero exit if any cell fails.")
        {
            paths, outDir, inPlace, parameters, timeout, png, check, tolerance, update,
        };
        cmd.SetAction(parse => Execute(Validate(
            parse.GetValue(paths)!, parse.GetValue(parameters) ?? [], parse.GetValue(check), parse.GetValue(update), parse.GetValue(inPlace),
            parse.GetValue(tolerance), parse.GetValue(timeout), parse.GetValue(outDir)!, parse.GetValue(png))));
        return cmd;
    }

    /// <summary>The validated command line: the notebooks in run order, the parameter overrides, the mode and where the
    /// outputs go.</summary>
    private sealed record Settings(
        List<string> Files, Dictionary<string, string> Pars, bool Checking, bool Updating, bool InPlace, double Tolerance,
        string? Chromium, double Timeout, string Dir, string? PngDir);

    /// <summary>What the run has done so far: the summary table, the notebooks for the manifest, the failed and the
    /// differing notebooks.</summary>
    private sealed class Tally
    {
        public List<(string Name, int Cells, string Status, TimeSpan Elapsed)> Table { get; } = [];
        public List<(string Name, string Source, bool Succeeded)> Ran { get; } = [];
        public int Failures { get; set; }
        public int Differing { get; set; }
    }

    private static Settings Validate(
        string[] paths, string[] parameters, bool checking, bool updating, bool inPlace, double tol, double t, string dir, string? pngDir)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p, "*.ipynb").OrderBy(f => f, StringComparer.Ordinal));
            else if (File.Exists(p) && p.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) files.Add(p);
            else throw new UsageException($"'{p}' is neither a notebook (.ipynb) nor a folder.");
        }
        if (files.Count == 0) throw new UsageException("No notebooks found.");
        var pars = new Dictionary<string, string>();
        foreach (var kv in parameters)
        {
            int eq = kv.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--parameters takes name=value; got '{kv}'.");
            pars[kv[..eq].Trim()] = kv[(eq + 1)..].Trim();
        }
        if (checking && updating) throw new UsageException("--check and --update exclude each other: check the committed outputs, or replace them.");
        if ((checking || updating) && pars.Count > 0) throw new UsageException("--parameters cannot be combined with --check or --update: the committed outputs are those of the notebook's own parameters.");
        if (updating && inPlace) throw new UsageException("--update already writes in place; drop --in-place.");
        if (!(tol >= 0) || double.IsInfinity(tol)) throw new UsageException($"--tolerance must be a finite relative tolerance, 0 or more; got {tol}.");
        if (tol > 0 && !checking) throw new UsageException("--tolerance applies to --check only.");
        string? chromium = updating ? ChartImages.FindChromium() : null;
        if (updating && chromium is null)
            Console.Error.WriteLine("warning: Chromium not found: the updated charts get no static picture (they show only where plotly.js runs). Install chromium or set WORKBENCH_CHROMIUM.");
        if (!(t > 0)) throw new UsageException($"--timeout-per-cell must be positive; got {t}.");
        Outputs.Folder(dir, "--out", keepWhenWorkFails: true);
        if (pngDir is not null && ChartImages.FindChromium() is null)
            throw new UsageException("--png needs Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
        return new Settings(files, pars, checking, updating, inPlace, tol, chromium, t, dir, pngDir);
    }

    private static int Execute(Settings s)
    {
        var notebooks = s.Files.Select(f => (Path: f, Notebook: LoadOrThrow(f))).ToList();
        if (s.Checking)
            foreach (var (p, nb) in notebooks)
            {
                try { OutputCheck.ValidateTolerances(nb); }
                catch (FormatException ex) { throw new UsageException($"{p}: {ex.Message}"); }
            }
        var tally = new Tally();
        // Ctrl+C (or SIGTERM) interrupts the running cell: its worker gets the grace period to stop it, then is ended;
        // that notebook is reported as interrupted, its outputs and those of the notebooks before it are written, and the run stops.
        using var interrupt = new CancellationTokenSource();
        void OnSignal(PosixSignalContext c) { c.Cancel = true; Console.Error.WriteLine("interrupting the running cell ..."); interrupt.Cancel(); }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var worker = RunWorkerCommand.Command();
        var grace = new RunOptions().GracePeriod;
        // One worker runs the notebooks one after another, each in a fresh session (so the compiler and the library
        // are compiled to machine code once, as in one process); once a notebook has ended or lost its worker (a
        // crash, a cell that could not be stopped), the next notebook gets a fresh worker.
        WorkerSession? session = null;
        try
        {
            foreach (var (path, nb) in notebooks)
            {
                if (interrupt.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"not run (interrupted): {path}");
                    tally.Failures++;
                    continue;
                }
                var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                if (session is { IsAlive: true }) session.NewSession(folder);
                else
                {
                    session?.Dispose();
                    session = WorkerSession.Start(worker, folder, TimeSpan.FromSeconds(s.Timeout), grace);
                }
                RunOne(s, path, nb, session, interrupt.Token, tally);
            }
        }
        finally { session?.Dispose(); }
        return Summarise(s, notebooks.Count, tally);
    }

    /// <summary>Runs one notebook in the worker's fresh session, compares (with --check) its outputs with the committed
    /// ones, and writes the executed notebook, its HTML page and (with --png) its chart pictures.</summary>
    private static void RunOne(Settings s, string path, Notebook nb, WorkerSession session, CancellationToken interrupt, Tally tally)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        Console.Error.WriteLine($"running {path} ...");
        var run = Runner.RunAsync(nb, session, new RunOptions
        {
            Parameters = s.Pars, OnCell = (i, n) => Console.Error.WriteLine($"  cell {i + 1}/{n}"),
        }, interrupt).GetAwaiter().GetResult();
        OutputCheck.StripVolatile(run.Executed);
        if (s.Checking && Differs(path, nb, run.Executed, s.Tolerance)) tally.Differing++;
        if (s.Updating && run.Succeeded && s.Chromium is not null)
            Console.Error.WriteLine($"  {ChartImages.AddStaticPictures(run.Executed, chromium: s.Chromium)} chart(s) given a static picture");
        var target = s.InPlace || s.Updating ? path : Path.Combine(s.Dir, name + ".ipynb");
        if (!s.Updating || run.Succeeded) run.Executed.Save(target);
        Workbench.Tables.AtomicFile.WriteAllText(Path.Combine(s.Dir, name + ".html"), Runner.ToHtml(run.Executed, name));
        if (s.PngDir is not null)
            foreach (var f in ChartImages.Render(run.Executed, name, s.PngDir)) Console.Error.WriteLine($"  chart {f}");
        if (!run.Succeeded)
        {
            tally.Failures++;
            Console.Error.WriteLine($"FAILED {path}, cell {run.FailedCell + 1}: {run.Error}");
        }
        tally.Table.Add((name, run.CodeCells, run.Succeeded ? "ok" : $"failed at cell {run.FailedCell + 1}", run.Elapsed));
        if (!s.InPlace && !s.Updating) tally.Ran.Add((name, path, run.Succeeded));
    }

    /// <summary>With --check: prints every difference between the executed and the committed outputs (or that none were
    /// committed) and says whether there was any.</summary>
    private static bool Differs(string path, Notebook committed, Notebook executed, double tol)
    {
        IReadOnlyList<OutputDifference> diffs;
        try { diffs = OutputCheck.Compare(committed, executed, tol); }
        catch (FormatException ex) { throw new UsageException($"{path}: {ex.Message}"); }
        if (!committed.Cells.Any(c => c.Type == "code" && c.Json["outputs"] is JsonArray { Count: > 0 }))
            diffs = [new OutputDifference(0, 0, null, "the whole notebook", "no outputs committed", "run `workbench run --update` and commit the executed notebook")];
        if (diffs.Count > 0)
        {
            Console.Error.WriteLine($"DIFFERS {path}: {diffs.Count} difference(s) from the committed outputs");
            foreach (var d in diffs) Console.Error.WriteLine("  " + d.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
            return true;
        }
        Console.Error.WriteLine($"  outputs match the committed ones");
        return false;
    }

    /// <summary>Updates the outputs' manifest, prints the summary table and the closing lines, and gives the exit code.</summary>
    private static int Summarise(Settings s, int count, Tally tally)
    {
        int failures = tally.Failures, differing = tally.Differing;
        if (tally.Ran.Count > 0) NotebookManifest.Update(s.Dir, tally.Ran, s.Pars);
        var sb = new StringBuilder("\nnotebook                               cells  status                  seconds\n");
        foreach (var (n, c, st, e) in tally.Table) sb.Append($"{n,-38} {c,5}  {st,-22} {e.TotalSeconds,7:F1}\n");
        Console.Error.Write(sb.ToString());
        Console.Out.WriteLine($"{count - failures} of {count} notebooks ran without error; outputs in {s.Dir}");
        if (s.Checking)
            Console.Out.WriteLine(differing == 0
                ? $"{count} of {count} notebooks match their committed outputs"
                : $"{differing} of {count} notebooks differ from their committed outputs (see above); if the change is intended, run `workbench run --update` on them and commit the result saying which figures moved");
        if (s.Updating) Console.Out.WriteLine($"{count - failures} notebooks updated in place" + (failures > 0 ? $"; {failures} failed and were left as they were" : ""));
        return failures == 0 && differing == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static Notebook LoadOrThrow(string path)
    {
        try { return Notebook.Load(path); }
        catch (FormatException ex) { throw new UsageException($"{path}: {ex.Message}"); }
    }
}
