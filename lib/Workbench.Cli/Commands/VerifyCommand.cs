using System.CommandLine;
using System.Text.Json.Nodes;
using Workbench.Experiments;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench verify DIR [--threads T]</c> (reviewers): reruns the run recorded in DIR/manifest.json
/// (a <c>simulate --out</c> or <c>sweep merge</c> folder) and reports every figure that differs. Exit 0 when all match, 1 otherwise.
/// </summary>
internal sealed class VerifyCommand : CliCommand
{
    public override Command Build()
    {
        var dir = new Argument<string>("DIR") { Description = "A folder written by 'workbench simulate --out', 'workbench sweep merge' or 'workbench run --out' (it holds manifest.json)." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var max = new Option<int>("--show") { Description = "How many differing figures to list (default 20).", DefaultValueFactory = _ => 20 };
        var tolerance = new Option<double?>("--tolerance") { Description = "Relative tolerance for reruns on another machine or SDK: numeric figures within REL × their magnitude are listed as drift (exit 0); beyond it, or text differences, as failures (exit 1). Default: byte-exact." };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("verify", "Rerun a recorded run from its manifest (a simulation, a merged sweep, or executed notebooks) and report any figure or output that differs; exit 0 when everything matches.")
        {
            dir, threads, max, tolerance, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            string d = parse.GetValue(dir)!;
            if (!Directory.Exists(d)) throw new UsageException($"Folder '{d}' does not exist.");
            int? t = parse.GetValue(threads);
            if (t is < 1 or > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            double? tol = parse.GetValue(tolerance);
            if (tol is double tv && !(tv >= 0 && tv < 1)) throw new UsageException($"--tolerance must be a relative tolerance at least 0 and below 1 (e.g. 1e-9); got {tv}.");
            VerifyReport report;
            var log = new Progress<string>(m => Console.Error.WriteLine(m));
            var manifestPath = Path.Combine(d, "manifest.json");
            if (Directory.Exists(manifestPath)) throw new UsageException($"{manifestPath} is a folder, not a manifest file.");
            try
            {
                report = File.Exists(manifestPath) && NotebookRun(manifestPath) is { } m ? NotebookManifest.Verify(d, m, log, tol) : Verify.Run(d, t, log, allowOutsidePaths: parse.GetValue(allowOutside), tolerance: tol);
            }
            catch (InvalidDataException ex) { throw new UsageException(ex.Message); }
            foreach (var n in report.Notes) Console.Out.WriteLine($"note: {n}");
            if (report.Identical)
            {
                Console.Out.WriteLine(report.Kind == "notebooks"
                    ? $"verified: the outputs of all {report.FiguresCompared:N0} code cells match the rerun (timings aside)."
                    : $"verified: all {report.FiguresCompared:N0} figures of this {report.Kind} match the rerun.");
                return ExitCodes.Ok;
            }
            int show = Math.Max(0, parse.GetValue(max));
            if (report.Failures.Count == 0)
            {
                Console.Out.WriteLine($"verified within tolerance {tol!.Value.ToString("G", System.Globalization.CultureInfo.InvariantCulture)}: {report.Drifts.Count:N0} of {report.FiguresCompared:N0} figures drift from the rerun, none beyond it:");
                foreach (var x in report.Drifts.Take(show)) Console.Out.WriteLine("  " + x);
                if (report.Drifts.Count > show) Console.Out.WriteLine($"  … and {report.Drifts.Count - show} more (--show N)");
                return ExitCodes.Ok;
            }
            Console.Out.WriteLine(tol is null
                ? $"DIFFERENT: {report.Differences.Count:N0} of {report.FiguresCompared:N0} figures differ from the rerun:"
                : $"DIFFERENT: {report.Failures.Count:N0} of {report.FiguresCompared:N0} figures differ from the rerun beyond the tolerance ({report.Drifts.Count:N0} more drift within it):");
            foreach (var x in report.Failures.Concat(report.Drifts).Take(show)) Console.Out.WriteLine("  " + x);
            if (report.Differences.Count > show) Console.Out.WriteLine($"  … and {report.Differences.Count - show} more (--show N)");
            return ExitCodes.Failed;
        });
        return cmd;
    }

    /// <summary>The manifest when it records a notebook run (<c>"kind": "notebooks"</c>), checked field by field (<see cref="NotebookManifest.Read"/>); null for any other manifest (which <see cref="Verify.Run"/> checks).</summary>
    private static IReadOnlyList<NotebookEntryContract>? NotebookRun(string path) =>
        NotebookManifest.Read(path)?.Select(e => e.Entry).ToList();
}
