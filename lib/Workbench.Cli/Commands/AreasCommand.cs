using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench areas (--preset NAME | --spec FILE) [--voters N] --areas K --doors D [--replicates R] [--seed S]</c>:
/// representative area sampling against random neighbourhoods — how well canvassing D doors in K neighbourhoods diagnoses the
/// electorate's vote intention. Prints JSON.
/// </summary>
internal sealed class AreasCommand : CliCommand
{
    public override Command Build()
    {
        var el = new ElectorateOptions();
        var areas = new Option<int>("--areas") { Description = "Neighbourhoods to canvass.", Required = true };
        var doors = new Option<int>("--doors") { Description = "Doors to knock in them.", Required = true };
        var replicates = new Option<int>("--replicates") { Description = "Repetitions (random areas and doors vary).", DefaultValueFactory = _ => 10 };
        var cmd = new Command("areas", "Representative area sampling (En Marche's Grande Marche): canvass doors in neighbourhoods chosen to look like the country on public data, against neighbourhoods chosen at random; print the error of each diagnosis as JSON.")
        {
            areas, doors, replicates,
        };
        el.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var s = el.ResolveSpec(parse);
            int r = parse.GetValue(replicates);
            if (r is < 1 or > 10_000) throw new UsageException($"--replicates must be between 1 and 10000; got {r}.");
            var e = el.Generate(parse, s);
            int k = parse.GetValue(areas), d = parse.GetValue(doors);
            if (k < 1 || k > e.NeighbourhoodCount) throw new UsageException($"--areas must be between 1 and {e.NeighbourhoodCount} (the electorate's neighbourhoods); got {k}.");
            if (d < 1) throw new UsageException($"--doors must be positive; got {d}.");
            var runs = AreaSampling.Compare(e, k, d, el.SeedOf(parse), r);
            var methods = new JsonArray();
            foreach (var g in runs.GroupBy(x => x.Method))
                methods.Add(new JsonObject
                {
                    ["method"] = g.Key, ["meanAbsoluteErrorPoints"] = Math.Round(g.Average(x => x.MeanAbsoluteError), 4),
                    ["worstAbsoluteErrorPoints"] = Math.Round(g.Max(x => x.MeanAbsoluteError), 4), ["imbalance"] = Math.Round(g.Average(x => x.Imbalance), 5),
                    ["doorsKnocked"] = Math.Round(g.Average(x => (double)x.DoorsKnocked), 1), ["conversations"] = Math.Round(g.Average(x => (double)x.Conversations), 1),
                });
            var json = new JsonObject
            {
                ["electorate"] = s.Name, ["voters"] = e.VoterCount, ["neighbourhoods"] = e.NeighbourhoodCount, ["areas"] = k, ["doors"] = d, ["replicates"] = r,
                ["parties"] = new JsonArray(e.PartyNames.Select(p => (JsonNode?)p).ToArray()),
                ["trueShares"] = new JsonArray(runs[0].TrueShares.Select(x => (JsonNode?)Math.Round(x, 4)).ToArray()),
                ["methods"] = methods,
            };
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
