using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Workbench.Elections;

/// <summary>
/// An electoral system under which a simulation counts its ballots (MODEL.md §7): the same
/// ballots are counted under every system of a scenario.
/// <list type="bullet">
/// <item><c>fptp</c>: plurality in each constituency.</item>
/// <item><c>list</c>: list PR by <see cref="Method"/> in one national district, in regional districts, or in small
/// "provinces" of about <see cref="Magnitude"/> seats each (Spain-like: 52 districts averaging 6.7 seats, D'Hondt, a 3%
/// district threshold; Penadés 2010 on district magnitude), with seats apportioned to districts by Sainte-Laguë on
/// registered voters, and an optional national or district threshold.</item>
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
    /// <summary>For list systems: national (one district), regions, or provinces (districts of about <see cref="Magnitude"/> seats).</summary>
    public string Districts { get; init; } = "national";
    /// <summary>For <c>"districts": "provinces"</c>: the mean number of seats per district. Each region's constituencies, in index order (contiguous on the map), are grouped into districts of about this many constituencies.</summary>
    [Param("Mean seats per district when districts are provinces (Spain's Congress: 350 seats in 52 districts, about 6.7)", Min = 1, Max = 1000, Unit = "seats")]
    public int? Magnitude { get; init; }
    /// <summary>District threshold as a share of a district's valid votes (Spain: 0.03); for list systems with districts.</summary>
    [Param("Share of a district's valid votes a party needs to win seats there (Spain: 3%)", Min = 0, Max = 0.99, Unit = "share")]
    public double? DistrictThreshold { get; init; }
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
        if (Districts is not ("national" or "regions" or "provinces")) errors.Add(new(path + ".districts", $"'{Districts}' is not national, regions or provinces."));
        if (Districts == "provinces" && Magnitude is null) errors.Add(new(path + ".magnitude", "districts \"provinces\" need a magnitude (mean seats per district), e.g. 6."));
        if (Districts != "provinces" && Magnitude is not null) errors.Add(new(path + ".magnitude", "a magnitude applies only to districts \"provinces\"."));
        if (Magnitude is int mg && (mg < 1 || mg > 1000)) errors.Add(new(path + ".magnitude", $"{mg} is outside 1..1000."));
        if (DistrictThreshold is double dt && (dt < 0 || dt >= 1)) errors.Add(new(path + ".districtThreshold", $"{dt} is outside [0, 1)."));
        if (DistrictThreshold is not null && (Type != "list" || Districts == "national"))
            errors.Add(new(path + ".districtThreshold", "a district threshold applies to list systems with regions or provinces."));
        if (DistrictThreshold is not null && Threshold is not null)
            errors.Add(new(path + ".districtThreshold", "a national and a district threshold together are not supported; give one."));
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
                var map = DistrictMap(e);
                int R = map.Seats.Length;
                var rv = new long[R][];
                for (int r = 0; r < R; r++) rv[r] = new long[parties.Count];
                for (int k = 0; k < C; k++) for (int j = 0; j < parties.Count; j++) rv[map.DistrictOf[k]][j] += ballots.Votes[k][j];
                return ElectionEngine.Run(new ElectionInput
                {
                    Method = ParsedMethod, Parties = parties, Seats = ListSeats(C),
                    Threshold = DistrictThreshold is double d ? new Threshold { Share = d, Scope = "district" } : threshold,
                    Districts = Enumerable.Range(0, R).Select(r => new District(map.Names[r], map.Seats[r], null, rv[r])).ToArray(),
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

    /// <summary>
    /// The districts of a list system on electorate <paramref name="e"/>: each constituency's district, the seats of each
    /// district (the system's list seats apportioned by Sainte-Laguë on registered voters; provinces get one seat each first) and their
    /// names. National: one district; regions: one per region; provinces: each region's constituencies, in index order,
    /// grouped into ⌈n/magnitude⌉ districts of near-equal size.
    /// </summary>
    public DistrictMapping DistrictMap(Electorate.Electorate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        int C = e.ConstituencyCount, seats = ListSeats(C);
        var of = new int[C];
        var names = new List<string>();
        if (Districts == "regions" || Districts == "provinces")
        {
            int R = C == 0 ? 0 : e.ConstituencyRegion.Take(C).Max() + 1;
            for (int r = 0; r < R; r++)
            {
                var members = Enumerable.Range(0, C).Where(k => e.ConstituencyRegion[k] == r).ToArray();
                int parts = Districts == "regions" || members.Length == 0 ? 1 : (members.Length + Magnitude!.Value - 1) / Magnitude.Value;
                for (int p = 0; p < parts; p++)
                {
                    for (int m = p * members.Length / parts; m < (p + 1) * members.Length / parts; m++) of[members[m]] = names.Count;
                    names.Add(Districts == "regions" ? $"region {r + 1}" : $"region {r + 1} district {p + 1}");
                }
            }
        }
        else names.Add("national");
        int[] apportioned;
        if (Districts == "regions") apportioned = RegionSeats(e, seats);
        else if (names.Count == 1) apportioned = [seats];
        else
        {
            // Every province gets one seat, the rest by Sainte-Laguë on registered voters (Spain gives each province a
            // minimum of two and the rest by population; one keeps small magnitudes possible on small electorates).
            if (seats < names.Count)
                throw new ArgumentException($"{seats} list seats cannot give each of {names.Count} districts a seat: lower the number of districts (raise magnitude) or add seats.");
            var voters = new long[names.Count];
            for (int k = 0; k < C; k++) voters[of[k]] += e.ConstituencyStart[k + 1] - e.ConstituencyStart[k];
            apportioned = Apportion.Divisor(Elections.Method.SainteLague, voters, seats - names.Count).Select(x => x + 1).ToArray();
        }
        return new DistrictMapping(of.Frozen(), apportioned.Frozen(), [.. names]);
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

/// <summary>The districts of a list system: each constituency's district index, seats per district and district names.</summary>
/// <param name="DistrictOf">District index of each constituency.</param>
/// <param name="Seats">Seats of each district.</param>
/// <param name="Names">Name of each district.</param>
public sealed record DistrictMapping(ImmutableArray<int> DistrictOf, ImmutableArray<int> Seats, ImmutableArray<string> Names);
