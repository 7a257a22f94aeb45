using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Workbench.Electorate;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench electorate (--preset NAME | --spec FILE.json) --voters N --seed S --out FILE.(parquet|csv) [--threads T]</c>:
/// generates a synthetic electorate, writes it atomically and prints a JSON summary.
/// </summary>
internal sealed class ElectorateCommand : CliCommand
{
    public override Command Build()
    {
        var preset = new Option<string?>("--preset") { Description = $"A built-in preset: {string.Join(", ", ElectorateSpec.PresetNames)}." };
        var spec = new Option<string?>("--spec") { Description = "A spec file (JSON); see data-synthetic/presets for examples." };
        var voters = new Option<int?>("--voters") { Description = "Number of voters (default: the spec's defaultVoters)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default 2018)." };
        var output = new Option<string?>("--out") { Description = "Output file: .parquet or .csv. Without it only the summary is printed." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). The output does not depend on it." };
        var codebook = new Option<string?>("--codebook") { Description = "Also write the codebook (Markdown, and JSON beside it) to this path." };
        var cmd = new Command("electorate", "Generate a synthetic electorate (MODEL.md §1–2) and print a JSON summary.")
        {
            preset, spec, voters, seed, output, threads, codebook,
        };
        cmd.SetAction(parse =>
        {
            string? presetName = parse.GetValue(preset), specPath = parse.GetValue(spec), outPath = parse.GetValue(output), codebookPath = parse.GetValue(codebook);
            var s = ResolveSpec(presetName, specPath);
            int n = parse.GetValue(voters) ?? s.DefaultVoters;
            if (n <= 0) throw new UsageException($"--voters must be positive; got {n}.");
            if (n < s.Constituencies * 10) throw new UsageException($"--voters must be at least 10 per constituency: {s.Constituencies * 10} for '{s.Name}'; got {n}.");
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            string? format = null;
            if (outPath is not null)
            {
                format = Path.GetExtension(outPath).ToLowerInvariant() switch
                {
                    ".parquet" => "parquet",
                    ".csv" => "csv",
                    _ => throw new UsageException($"--out must end in .parquet or .csv; got '{outPath}'."),
                };
            }
            // Memory before anything is allocated or created: the electorate, plus the Parquet writer's row-group buffers.
            Limits.CheckVoters("--voters", n, s.Constituencies * 10, Limits.MaxVotersFor(s.IssueCount), Limits.ElectorateBytesFor(s.IssueCount),
                format == "parquet" ? Math.Min(n, 1_000_000) * Limits.ParquetBytesPerVoter : 0);
            if (outPath is not null) Outputs.File(outPath, "--out");
            if (codebookPath is not null) { Outputs.File(codebookPath, "--codebook"); Outputs.File(Path.ChangeExtension(codebookPath, ".json"), "--codebook"); }
            int? seedValue = parse.GetValue(seed);

            var electorate = WithProgress(n, p => Electorates.Generate(s, n, seedValue, t, p));
            if (outPath is not null)
            {
                if (format == "parquet") ElectorateExport.WriteParquet(electorate, outPath, t);
                else ElectorateExport.WriteCsv(electorate, outPath);
            }
            if (codebookPath is not null)
            {
                AtomicFile.WriteAllText(codebookPath, ElectorateExport.CodebookMarkdown(electorate));
                AtomicFile.WriteAllText(Path.ChangeExtension(codebookPath, ".json"), ElectorateExport.CodebookJson(electorate));
            }
            var sum = electorate.Summarize();
            var json = new SortedDictionary<string, object>
            {
                ["preset"] = s.Name,
                ["seed"] = seedValue ?? Workbench.Random.Seeds.Default,
                ["voters"] = sum.Voters,
                ["households"] = sum.Households,
                ["neighbourhoods"] = sum.Neighbourhoods,
                ["constituencies"] = sum.Constituencies,
                ["turnout"] = Math.Round(sum.Turnout, 6),
                ["nationalShares"] = sum.NationalShares.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 6)),
                ["targetShares"] = sum.TargetShares,
                ["pluralitySeats"] = sum.PluralitySeats,
                ["marginalSeatShare"] = Math.Round(sum.MarginalSeatShare, 6),
                ["largestCalibrationError"] = Math.Round(sum.LargestCalibrationError, 6),
                ["bytesPerVoter"] = Math.Round(electorate.BytesPerVoter(), 1),
            };
            if (outPath is not null) json["out"] = outPath;
            Console.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The electorate spec named by exactly one of --preset NAME or --spec FILE (usage errors otherwise).</summary>
    internal static ElectorateSpec ResolveSpec(string? presetName, string? specPath)
    {
        if ((presetName is null) == (specPath is null)) throw new UsageException("Give exactly one of --preset NAME or --spec FILE.json.");
        if (presetName is null) return ElectorateSpec.Load(Inputs.File(specPath!, "--spec"));
        if (!ElectorateSpec.PresetNames.Contains(presetName))
            throw new UsageException($"Unknown preset '{presetName}'. Known presets: {string.Join(", ", ElectorateSpec.PresetNames)}.");
        return ElectorateSpec.Preset(presetName);
    }

    /// <summary>Runs generation with a progress bar on stderr for large N (when stderr is a terminal or N ≥ 1M).</summary>
    private static Workbench.Electorate.Electorate WithProgress(int n, Func<IProgress<GenerationProgress>?, Workbench.Electorate.Electorate> run)
    {
        if (n < 500_000) return run(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        Workbench.Electorate.Electorate? result = null;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask($"generating {n:N0} voters", maxValue: 1.0);
            result = run(new SynchronousProgress(p => { task.Value = p.Fraction; task.Description = $"{p.Stage} ({n:N0} voters)"; }));
        });
        return result!;
    }

    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
