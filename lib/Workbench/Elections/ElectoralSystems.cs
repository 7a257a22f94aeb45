using System.Text.Json.Serialization;
using Workbench.Elections;


namespace Workbench.Elections;

/// <summary>
/// An electoral system under which a simulation counts its ballots (MODEL.md §7): the same
/// ballots are counted under every system of a scenario.
/// <list type="bullet">
/// <item><c>fptp</c>: plurality in each constituency.</item>
/// <item><c>list</c>: list PR by <see cref="Method"/> in one national district or in regional districts (seats apportioned to regions by Sainte-Laguë on registered voters), with an optional national threshold.</item>
/// <item><c>mmp</c>: mixed-member proportional (single vote): constituency winners plus a compensatory list tier of <see cref="Seats"/> (default twice the constituencies), with <see cref="Overhang"/>.</item>
/// <item><c>parallel</c>: constituency winners plus <see cref="Seats"/> list seats (default as many as constituencies) allocated independently.</item>
/// </list>
/// </summary>
public sealed record ElectoralSystemSpec
{
    /// <summary>Name used in results (e.g. "FPTP", "D'Hondt").</summary>
    public string Name { get; init; } = "";
    /// <summary>fptp, list, mmp or parallel.</summary>
    public string Type { get; init; } = "fptp";
    /// <summary>Seat allocation method for list tiers: dhondt, sainte-lague, modified-sainte-lague, hare, droop, …</summary>
    public string Method { get; init; } = "dhondt";
    /// <summary>For list systems: national (one district) or regions.</summary>
    public string Districts { get; init; } = "national";
    /// <summary>Seats: list systems default to the number of constituencies; mmp to twice that (the base house); parallel to as many list seats as constituencies.</summary>
    public int? Seats { get; init; }
    /// <summary>National threshold as a share of valid votes (e.g. 0.05).</summary>
    public double? Threshold { get; init; }
    /// <summary>MMP overhang rule: keep, level or cap.</summary>
    public string Overhang { get; init; } = "keep";

    [JsonIgnore] internal Method ParsedMethod => ElectionJson.ParseMethodName(Method, "method");

    /// <summary>Validates the system against an electorate with <paramref name="constituencies"/> constituencies.</summary>
    public IReadOnlyList<ValidationError> Validate(string path, int constituencies)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new(path + ".name", "a system needs a name."));
        if (Type is not ("fptp" or "list" or "mmp" or "parallel")) errors.Add(new(path + ".type", $"'{Type}' is not one of fptp, list, mmp, parallel."));
        if (Type != "fptp")
        {
            try { if (ParsedMethod == Elections.Method.Fptp) errors.Add(new(path + ".method", "a list tier needs a proportional method.")); }
            catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(er => er with { Path = path + ".method" })); }
        }
        if (Districts is not ("national" or "regions")) errors.Add(new(path + ".districts", $"'{Districts}' is not national or regions."));
        if (Seats is int s && (s < 1 || s > 100_000)) errors.Add(new(path + ".seats", $"{s} is outside 1..100000."));
        if (Type == "mmp" && Seats is int h && h < constituencies) errors.Add(new(path + ".seats", $"an MMP house of {h} is smaller than the {constituencies} constituencies."));
        if (Threshold is double t && (t < 0 || t >= 1)) errors.Add(new(path + ".threshold", $"{t} is outside [0, 1)."));
        if (Overhang is not ("keep" or "level" or "cap")) errors.Add(new(path + ".overhang", $"'{Overhang}' is not keep, level or cap."));
        return errors;
    }

    /// <summary>Total list seats for this system on an electorate of <paramref name="constituencies"/> seats.</summary>
    public int ListSeats(int constituencies) => Type switch
    {
        "mmp" => Seats ?? 2 * constituencies,
        "parallel" => Seats ?? constituencies,
        "list" => Seats ?? constituencies,
        _ => 0,
    };

    /// <summary>Counts <paramref name="ballots"/> under this system.</summary>
    public ElectionResult Count(Ballots ballots, Electorate.Electorate e)
    {
        var parties = ballots.Parties;
        int C = ballots.Votes.Length;
        var threshold = Threshold is double t ? new Threshold { Share = t } : null;
        switch (Type)
        {
            case "fptp":
                return ElectionEngine.Run(new ElectionInput
                {
                    Method = Elections.Method.Fptp, Parties = parties, System = "list",
                    Districts = Enumerable.Range(0, C).Select(k => new District($"C{k + 1}", 1, null, ballots.Votes[k])).ToArray(),
                });
            case "list":
                if (Districts == "national")
                    return ElectionEngine.Run(new ElectionInput
                    {
                        Method = ParsedMethod, Parties = parties, Seats = ListSeats(C), Threshold = threshold,
                        Districts = [new District("national", ListSeats(C), null, ballots.National)],
                    });
                var regionSeats = RegionSeats(e, ListSeats(C));
                int R = regionSeats.Length;
                var rv = new long[R][];
                for (int r = 0; r < R; r++) rv[r] = new long[parties.Count];
                for (int k = 0; k < C; k++) for (int j = 0; j < parties.Count; j++) rv[e.ConstituencyRegion[k]][j] += ballots.Votes[k][j];
                return ElectionEngine.Run(new ElectionInput
                {
                    Method = ParsedMethod, Parties = parties, Seats = ListSeats(C), Threshold = threshold,
                    Districts = Enumerable.Range(0, R).Select(r => new District($"region {r + 1}", regionSeats[r], null, rv[r])).ToArray(),
                });
            default:
                var fptp = (this with { Type = "fptp" }).Count(ballots, e);
                return ElectionEngine.Run(new ElectionInput
                {
                    Method = ParsedMethod, Parties = parties, Seats = ListSeats(C), Threshold = threshold, System = Type,
                    ConstituencySeats = fptp.Seats, Overhang = Overhang,
                    Districts = [new District("national", ListSeats(C), null, ballots.National)],
                });
        }
    }

    /// <summary>Seats per region, apportioned by Sainte-Laguë on registered voters.</summary>
    public static int[] RegionSeats(Electorate.Electorate e, int seats)
    {
        int R = e.ConstituencyRegion.Length == 0 ? 1 : e.ConstituencyRegion.Max() + 1;
        var voters = new long[R];
        for (int k = 0; k < e.ConstituencyCount; k++) voters[e.ConstituencyRegion[k]] += e.ConstituencyStart[k + 1] - e.ConstituencyStart[k];
        return Apportion.Divisor(Elections.Method.SainteLague, voters, seats);
    }
}
