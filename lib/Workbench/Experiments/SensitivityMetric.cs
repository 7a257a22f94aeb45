using System.Globalization;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>
/// A scalar result of a scenario run that a sensitivity analysis explains, named
/// <c>quantity[:party][:system][@arm[/against]]</c> (docs/sensitivity.md), e.g. <c>seatGain:Red:FPTP</c>, <c>seatGain:Red:D'Hondt</c>,
/// <c>costPerSeat:Red:FPTP</c>, <c>shareGain:Red</c>, <c>turnoutChange</c>, <c>gallagher:FPTP</c>, and
/// <c>seatGain:Red:FPTP@fptp-optimised/broadcast</c> (a targeting premium). Changes are the arm minus the baseline on the same
/// draws, or minus the arm named after <c>/</c> (paired by replicate, on the same draws); a run's value is the mean over its
/// replicates. The arm defaults to the first arm in which the party campaigns (or the first arm), the system to the scenario's first.
/// </summary>
/// <param name="Name">The name as written.</param><param name="Quantity">One of <see cref="Quantities"/>.</param>
/// <param name="Party">The party (quantities about a party), or null.</param><param name="System">The electoral system.</param>
/// <param name="Arm">The arm compared.</param>
/// <param name="Against">What it is compared with: <c>baseline</c> (no campaign), or another arm.</param>
public sealed record SensitivityMetric(string Name, string Quantity, string? Party, string System, string Arm, string Against = "baseline")
{
    /// <summary>Quantities about one party: the party is required.</summary>
    public static IReadOnlyList<string> PartyQuantities { get; } = ["seatGain", "shareGain", "voteGain", "spend", "costPerSeat", "costPerVote"];
    /// <summary>Quantities of the whole arm.</summary>
    public static IReadOnlyList<string> ArmQuantities { get; } = ["turnoutChange", "gallagher", "enpSeats", "informationGini"];
    /// <summary>Every quantity: seatGain (seats, arm − baseline), shareGain (vote share, points), voteGain (votes), spend, costPerSeat
    /// (mean spend / mean seat gain; undefined without a gain), costPerVote, turnoutChange (points), gallagher, enpSeats, informationGini (the arm's).</summary>
    public static IReadOnlyList<string> Quantities { get; } = [.. PartyQuantities, .. ArmQuantities];

    /// <summary>Parses a metric name against a scenario; an unknown quantity, party, system or arm throws an <see cref="ArgumentException"/> naming the valid ones.</summary>
    public static SensitivityMetric Parse(string name, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A metric name is empty; write quantity[:party][:system][@arm[/against]], e.g. seatGain:Red:FPTP.");
        string body = name; string? arm = null; string against = "baseline";
        int atSign = name.IndexOf('@');
        if (atSign >= 0) { body = name[..atSign]; arm = name[(atSign + 1)..]; }
        if (arm is not null && arm.IndexOf('/') is int slash and >= 0) { against = arm[(slash + 1)..]; arm = arm[..slash]; }
        var parts = body.Split(':');
        string q = parts[0];
        if (!Quantities.Contains(q)) throw new ArgumentException($"Metric '{name}': unknown quantity '{q}'; known: {string.Join(", ", Quantities)}.");
        bool needsParty = PartyQuantities.Contains(q);
        int expected = needsParty ? 3 : 2;
        if (parts.Length > expected || (needsParty && parts.Length < 2))
            throw new ArgumentException($"Metric '{name}': write {q}{(needsParty ? ":PARTY" : "")}[:SYSTEM][@ARM].");
        var parties = scenario.Electorate.Parties.Select(p => p.Name).ToArray();
        string? party = needsParty ? parts[1] : null;
        if (party is not null && !parties.Contains(party)) throw new ArgumentException($"Metric '{name}': '{party}' is not a party of the scenario ({string.Join(", ", parties)}).");
        var systems = scenario.Systems.Select(s => s.Name).ToArray();
        string system = parts.Length == expected ? parts[^1] : systems[0];
        if (!systems.Contains(system)) throw new ArgumentException($"Metric '{name}': '{system}' is not a system of the scenario ({string.Join(", ", systems)}).");
        var arms = scenario.Arms.Select(a => a.Name).ToArray();
        if (arms.Length == 0) throw new ArgumentException($"Metric '{name}': the scenario has no arms (campaigns) to compare with the baseline.");
        arm ??= party is not null ? scenario.Arms.FirstOrDefault(a => a.Campaigns.Any(c => c.Party == party))?.Name ?? arms[0] : arms[0];
        if (!arms.Contains(arm)) throw new ArgumentException($"Metric '{name}': '{arm}' is not an arm of the scenario ({string.Join(", ", arms)}).");
        if (against != "baseline" && !arms.Contains(against)) throw new ArgumentException($"Metric '{name}': '{against}' is not an arm of the scenario ({string.Join(", ", arms)}) nor 'baseline'.");
        if (against == arm) throw new ArgumentException($"Metric '{name}': an arm compared with itself is always 0; name another arm after '/'.");
        return new SensitivityMetric(name, q, party, system, arm, against);
    }

    /// <summary>The default metrics of a scenario: the seat gain of the first arm's first campaigning party under each system, and its vote-share gain.</summary>
    public static IReadOnlyList<string> Defaults(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var party = scenario.Arms.SelectMany(a => a.Campaigns).Select(c => c.Party).FirstOrDefault()
            ?? throw new ArgumentException("The scenario has no campaigns, so there is no default metric; name metrics with --metrics.");
        return [.. scenario.Systems.Select(s => $"seatGain:{party}:{s.Name}"), $"shareGain:{party}"];
    }

    /// <summary>The value of each metric for each variant of a sweep results table (rows: variants in order; columns: metrics).</summary>
    public static double[][] Values(ColumnTable table, int variants, int replicates, IReadOnlyList<SensitivityMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(table); ArgumentNullException.ThrowIfNull(metrics);
        var variant = (int[])table["variant"].Values; var replicate = (int[])table["replicate"].Values;
        var arm = (string[])table["arm"].Values; var system = (string[])table["system"].Values; var party = (string[])table["party"].Values;
        var index = new Dictionary<(int, int, string, string, string), int>();
        for (int i = 0; i < table.RowCount; i++) index[(variant[i], replicate[i], arm[i], system[i], party[i])] = i;
        var anyParty = party.Length > 0 ? party[0] : "";
        var values = new double[variants][];
        for (int v = 0; v < variants; v++)
        {
            values[v] = new double[metrics.Count];
            for (int m = 0; m < metrics.Count; m++)
            {
                var mt = metrics[m];
                int Row(int r, string a) => index.TryGetValue((v, r, a, mt.System, mt.Party ?? anyParty), out var i) ? i
                    : throw new InvalidDataException($"The sweep results have no row for variant {v}, replicate {r}, arm '{a}', system '{mt.System}', party '{mt.Party ?? anyParty}'.");
                values[v][m] = mt.Value(table, replicates, Row);
            }
        }
        return values;
    }

    /// <summary>This metric for one variant: the mean over replicates (costs: the ratio of the means).</summary>
    private double Value(ColumnTable t, int replicates, Func<int, string, int> row)
    {
        double Col(string c, int i) => t[c].Values switch { double[] d => d[i], int[] n => n[i], long[] l => l[i], _ => throw new InvalidDataException($"column {c} is not numeric.") };
        double Mean(Func<int, double> f) { double s = 0; for (int r = 0; r < replicates; r++) s += f(r); return s / replicates; }
        double Change(string c, double scale) => Mean(r => scale * (Col(c, row(r, Arm)) - Col(c, row(r, Against))));
        return Quantity switch
        {
            "seatGain" => Change("seats", 1),
            "shareGain" => Change("share", 100),
            "voteGain" => Change("votes", 1),
            "turnoutChange" => Change("turnout", 100),
            "spend" => Mean(r => Col("spend", row(r, Arm))),
            "costPerSeat" => Ratio(Mean(r => Col("spend", row(r, Arm))), Change("seats", 1)),
            "costPerVote" => Ratio(Mean(r => Col("spend", row(r, Arm))), Change("votes", 1)),
            "gallagher" or "enpSeats" or "informationGini" => Mean(r => Col(Quantity, row(r, Arm))),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"unknown quantity {Quantity}")),
        };
    }

    private static double Ratio(double spend, double gain) => spend > 0 && gain > 0 ? spend / gain : double.NaN;
}
