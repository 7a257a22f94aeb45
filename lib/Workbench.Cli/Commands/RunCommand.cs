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
        cmd.SetAction(parse =>
        {
            var files = new List<string>();
            foreach (var p in parse.GetValue(paths)!)
            {
                if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p, "*.ipynb").OrderBy(f => f, StringComparer.Ordinal));
                else if (File.Exists(p) && p.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) files.Add(p);
                else throw new UsageException($"'{p}' is neither a notebook (.ipynb) nor a folder.");
            }
            if (files.Count == 0) throw new UsageException("No notebooks found.");
            var pars = new Dictionary<string, string>();
            foreach (var kv in parse.GetValue(parameters) ?? [])
            {
                int eq = kv.IndexOf('=');
                if (eq <= 0) throw new UsageException($"--parameters takes name=value; got '{kv}'.");
                pars[kv[..eq].Trim()] = kv[(eq + 1)..].Trim();
            }
            bool checking = parse.GetValue(check), updating = parse.GetValue(update);
            double tol = parse.GetValue(tolerance);
            if (checking && updating) throw new UsageException("--check and --update exclude each other: check the committed outputs, or replace them.");
            if ((checking || updating) && pars.Count > 0) throw new UsageException("--parameters cannot be combined with --check or --update: the committed outputs are those of the notebook's own parameters.");
            if (updating && parse.GetValue(inPlace)) throw new UsageException("--update already writes in place; drop --in-place.");
            if (!(tol >= 0) || double.IsInfinity(tol)) throw new UsageException($"--tolerance must be a finite relative tolerance, 0 or more; got {tol}.");
            if (tol > 0 && !checking) throw new UsageException("--tolerance applies to --check only.");
            string? chromium = updating ? ChartImages.FindChromium() : null;
            if (updating && chromium is null)
                Console.Error.WriteLine("warning: Chromium not found: the updated charts get no static picture (they show only where plotly.js runs). Install chromium or set WORKBENCH_CHROMIUM.");
            double t = parse.GetValue(timeout);
            if (!(t > 0)) throw new UsageException($"--timeout-per-cell must be positive; got {t}.");
            var dir = parse.GetValue(outDir)!;
            Outputs.Folder(dir, "--out", keepWhenWorkFails: true);
            string? pngDir = parse.GetValue(png);
            if (pngDir is not null && ChartImages.FindChromium() is null)
                throw new UsageException("--png needs Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
            var notebooks = files.Select(f => (Path: f, Notebook: LoadOrThrow(f))).ToList();
            if (checking)
                foreach (var (p, nb) in notebooks)
                {
                    try { OutputCheck.ValidateTolerances(nb); }
                    catch (FormatException ex) { throw new UsageException($"{p}: {ex.Message}"); }
                }
            var table = new List<(string Name, int Cells, string Status, TimeSpan Elapsed)>();
            var ran = new List<(string Name, string Source, bool Succeeded)>();
            int failures = 0, differing = 0;
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
                        failures++;
                        continue;
                    }
                    var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                    if (session is { IsAlive: true }) session.NewSession(folder);
                    else
                    {
                        session?.Dispose();
                        session = WorkerSession.Start(worker, folder, TimeSpan.FromSeconds(t), grace);
                    }
                    var name = Path.GetFileNameWithoutExtension(path);
                    Console.Error.WriteLine($"running {path} ...");
                    var run = Runner.RunAsync(nb, session, new RunOptions
                    {
                        Parameters = pars, OnCell = (i, n) => Console.Error.WriteLine($"  cell {i + 1}/{n}"),
                    }, interrupt.Token).GetAwaiter().GetResult();
                    OutputCheck.StripVolatile(run.Executed);
                    if (checking)
                    {
                        IReadOnlyList<OutputDifference> diffs;
                        try { diffs = OutputCheck.Compare(nb, run.Executed, tol); }
                        catch (FormatException ex) { throw new UsageException($"{path}: {ex.Message}"); }
                        if (!nb.Cells.Any(c => c.Type == "code" && c.Json["outputs"] is JsonArray { Count: > 0 }))
                            diffs = [new OutputDifference(0, 0, null, "the whole notebook", "no outputs committed", "run `workbench run --update` and commit the executed notebook")];
                        if (diffs.Count > 0)
                        {
                            differing++;
                            Console.Error.WriteLine($"DIFFERS {path}: {diffs.Count} difference(s) from the committed outputs");
                            foreach (var d in diffs) Console.Error.WriteLine("  " + d.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
                        }
                        else Console.Error.WriteLine($"  outputs match the committed ones");
                    }
                    if (updating && run.Succeeded && chromium is not null)
                        Console.Error.WriteLine($"  {ChartImages.AddStaticPictures(run.Executed, chromium: chromium)} chart(s) given a static picture");
                    var target = parse.GetValue(inPlace) || updating ? path : Path.Combine(dir, name + ".ipynb");
                    if (!updating || run.Succeeded) run.Executed.Save(target);
                    Workbench.Tables.AtomicFile.WriteAllText(Path.Combine(dir, name + ".html"), Runner.ToHtml(run.Executed, name));
                    if (pngDir is not null)
                        foreach (var f in ChartImages.Render(run.Executed, name, pngDir)) Console.Error.WriteLine($"  chart {f}");
                    if (!run.Succeeded)
                    {
                        failures++;
                        Console.Error.WriteLine($"FAILED {path}, cell {run.FailedCell + 1}: {run.Error}");
                    }
                    table.Add((name, run.CodeCells, run.Succeeded ? "ok" : $"failed at cell {run.FailedCell + 1}", run.Elapsed));
                    if (!parse.GetValue(inPlace) && !updating) ran.Add((name, path, run.Succeeded));
                }
            }
            finally { session?.Dispose(); }
            if (ran.Count > 0) NotebookManifest.Update(dir, ran, pars);
            var sb = new StringBuilder("\nnotebook                               cells  status                  seconds\n");
            foreach (var (n, c, s, e) in table) sb.Append($"{n,-38} {c,5}  {s,-22} {e.TotalSeconds,7:F1}\n");
            Console.Error.Write(sb.ToString());
            Console.Out.WriteLine($"{notebooks.Count - failures} of {notebooks.Count} notebooks ran without error; outputs in {dir}");
            if (checking)
                Console.Out.WriteLine(differing == 0
                    ? $"{notebooks.Count} of {notebooks.Count} notebooks match their committed outputs"
                    : $"{differing} of {notebooks.Count} notebooks differ from their committed outputs (see above); if the change is intended, run `workbench run --update` on them and commit the result saying which figures moved");
            if (updating) Console.Out.WriteLine($"{notebooks.Count - failures} notebooks updated in place" + (failures > 0 ? $"; {failures} failed and were left as they were" : ""));
            return failures == 0 && differing == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }

    private static Notebook LoadOrThrow(string path)
    {
        try { return Notebook.Load(path); }
        catch (FormatException ex) { throw new UsageException($"{path}: {ex.Message}"); }
    }
}
