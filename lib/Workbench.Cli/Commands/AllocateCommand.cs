using System.CommandLine;
using System.Text.Json;
using Workbench.Elections;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench allocate FILE.json</c>: votes to seats (the input contract is in docs/elections.md).</summary>
internal sealed class AllocateCommand : CliCommand
{
    internal static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static string ReadInput(string path)
    {
        if (path == "-") return Console.In.ReadToEnd();
        if (!File.Exists(path)) throw new UsageException($"Input file '{path}' does not exist.");
        return File.ReadAllText(path);
    }

    public override Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "Allocation input (JSON), or - for standard input." };
        var cmd = new Command("allocate", "Allocate seats from votes: FPTP, D'Hondt, Sainte-Laguë (also modified), Imperiali, Huntington–Hill, Danish, Hare/Droop largest remainder; thresholds, districts, MMP, parallel, two-round. Prints JSON.") { file };
        cmd.SetAction(parse =>
        {
            var input = ElectionJson.Parse(ReadInput(parse.GetValue(file)!));
            ElectionResult result;
            try { result = ElectionEngine.Run(input); }
            catch (TieException ex) { Console.Error.WriteLine($"workbench: {ex.Message}"); return ExitCodes.Failed; }
            Console.Out.WriteLine(ElectionJson.ToJson(result, input).ToJsonString(Pretty));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary><c>workbench indices FILE.json</c>: disproportionality and fragmentation indices of { votes, seats }.</summary>
internal sealed class IndicesCommand : CliCommand
{
    public override Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "Input { \"votes\": {...}, \"seats\": {...} } (JSON), or - for standard input." };
        var cmd = new Command("indices", "Gallagher, Loosemore–Hanby, effective number of parties (votes, seats) and, for two parties, the efficiency gap.") { file };
        cmd.SetAction(parse =>
        {
            Console.Out.WriteLine(ElectionJson.ComputeIndices(AllocateCommand.ReadInput(parse.GetValue(file)!)).ToJsonString(AllocateCommand.Pretty));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
