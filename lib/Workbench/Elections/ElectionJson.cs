using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Json;

namespace Workbench.Elections;

/// <summary>
/// The JSON contract of <c>workbench allocate</c> and <c>workbench indices</c> (see
/// docs/elections.md). Parsing reports the offending field by its JSON path.
/// </summary>
public static class ElectionJson
{
    private static readonly Dictionary<string, Method> Methods = new()
    {
        ["dhondt"] = Method.DHondt, ["sainte-lague"] = Method.SainteLague, ["modified-sainte-lague"] = Method.ModifiedSainteLague,
        ["imperiali"] = Method.Imperiali, ["huntington-hill"] = Method.HuntingtonHill, ["danish"] = Method.Danish,
        ["hare"] = Method.Hare, ["droop"] = Method.Droop, ["imperiali-quota"] = Method.ImperialiQuota, ["fptp"] = Method.Fptp,
    };

    /// <summary>The JSON name of a method.</summary>
    public static string Name(Method m) => Methods.First(kv => kv.Value == m).Key;

    private static Exception Bad(string path, string message) => new SpecValidationException([new ValidationError(path, message)]);

    /// <summary>Parses a method name (dhondt, sainte-lague, …); an unknown name is a validation error at <paramref name="path"/>.</summary>
    public static Method ParseMethodName(string name, string path) =>
        Methods.TryGetValue(name, out var m) ? m : throw Bad(path, $"unknown method '{name}'; expected one of {string.Join(", ", Methods.Keys)}.");

    /// <summary>The JSON name of a tie-break rule.</summary>
    internal static string TieBreakName(TieBreak t) => t switch { TieBreak.Lot => "lot", TieBreak.Error => "error", _ => "more-votes" };

    // The checks of one value, shared by the contract's field converters (ElectionsJson) and the party maps read here;
    // `fail` makes the exception for a refused value (a JsonFieldException in a converter, a path-bearing error here).

    internal static Method ReadMethod(JsonNode? node, Func<string, Exception> fail)
    {
        var s = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null || !Methods.TryGetValue(s, out var m))
            throw fail($"unknown method '{node?.ToJsonString()}'; expected one of {string.Join(", ", Methods.Keys)}.");
        return m;
    }

    internal static long ReadVotes(JsonNode? node, Func<string, Exception> fail)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw fail("must be a number of votes.");
        double d = node.GetValue<double>();
        if (d < 0) throw fail($"negative votes ({d}).");
        if (d != Math.Floor(d) || d > ElectionLimits.MaxVotes) throw fail($"votes must be a whole number in [0, {ElectionLimits.MaxVotes:N0}] (the limit); got {d}.");
        return (long)d;
    }

    internal static int ReadInt(JsonNode? node, Func<string, Exception> fail, int min = 0, int max = ElectionLimits.MaxSeats)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw fail("must be a whole number.");
        double d = node.GetValue<double>();
        if (d != Math.Floor(d) || d < min || d > max) throw fail($"must be a whole number in [{min}, {max}]; got {d}.");
        return (int)d;
    }

    internal static double ReadDouble(JsonNode? node, Func<string, Exception> fail, double min, double max)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw fail("must be a number.");
        double d = node.GetValue<double>();
        if (!(d >= min && d <= max)) throw fail($"{d} is outside [{min}, {max}].");
        return d;
    }

    internal static string ReadEnum(JsonNode? node, Func<string, Exception> fail, params string[] allowed)
    {
        var s = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null || !allowed.Contains(s)) throw fail($"'{node?.ToJsonString()}' is not one of {string.Join(", ", allowed)}.");
        return s;
    }

    private static long ParseVotes(JsonNode? node, string path) => ReadVotes(node, m => Bad(path, m));

    private static int ParseInt(JsonNode? node, string path) => ReadInt(node, m => Bad(path, m));

    private static double ParseDouble(JsonNode? node, string path, double min, double max) => ReadDouble(node, m => Bad(path, m), min, max);

    /// <summary>Refuses a member of a party map (indices districts) that is not one of <paramref name="keys"/>, or null.</summary>
    private static void KnownKeys(JsonObject o, string path, params string[] keys)
    {
        foreach (var kv in o)
        {
            if (!keys.Contains(kv.Key)) throw Bad(Workbench.Json.JsonInput.Member(path, kv.Key), $"unknown field; expected one of {string.Join(", ", keys)}.");
            if (kv.Value is null) throw Bad(Workbench.Json.JsonInput.Member(path, kv.Key), "must not be null.");
        }
    }

    /// <summary>Reads a whole input through its contract; the first problem is thrown with its path.</summary>
    private static T Read<T>(string json, string what, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) where T : class
    {
        var o = Workbench.Json.JsonInput.ParseObject(json, what);
        var errors = new List<ValidationError>();
        var value = Workbench.Json.JsonInput.Deserialize(o, "$", errors, info);
        Parameters.ThrowIfAny(errors);
        return value!;
    }

    /// <summary>The structure of the allocate input as a JSON Schema object.</summary>
    public static JsonObject AllocateSchema()
    {
        var votes = Workbench.Json.JsonSchemas.Integer(0, 1_000_000_000_000_000);
        var partyVotes = Workbench.Json.JsonSchemas.Map(votes);
        var method = Workbench.Json.JsonSchemas.Enum(Methods.Keys);
        var seats = Workbench.Json.JsonSchemas.Integer(0, 1_000_000);
        var district = Workbench.Json.JsonSchemas.Object(
        [
            ("name", Workbench.Json.JsonSchemas.String()), ("seats", seats.DeepClone()), ("method", method.DeepClone()),
            ("votes", partyVotes.DeepClone()), ("blank", votes.DeepClone()), ("secondRound", partyVotes.DeepClone()),
        ], "votes");
        var threshold = Workbench.Json.JsonSchemas.Object(
        [
            ("share", Workbench.Json.JsonSchemas.Number(0, 1)), ("scope", Workbench.Json.JsonSchemas.Enum(["district", "national"])),
            ("base", Workbench.Json.JsonSchemas.Enum(["valid", "valid-including-blank"])), ("quota", Workbench.Json.JsonSchemas.Number(0, 1000)),
            ("exempt", Workbench.Json.JsonSchemas.Array(Workbench.Json.JsonSchemas.String())), ("partyShares", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Number(0, 1))),
            ("electorateSeats", Workbench.Json.JsonSchemas.Integer(1, 1_000_000)),
        ]);
        var schema = Workbench.Json.JsonSchemas.Object(
        [
            ("method", method), ("firstDivisor", Workbench.Json.JsonSchemas.Number(1e-6, 1e6)), ("seats", seats),
            ("threshold", threshold), ("blank", votes.DeepClone()), ("votes", partyVotes),
            ("districts", Workbench.Json.JsonSchemas.Array(district, 1)),
            ("apportionment", Workbench.Json.JsonSchemas.Object([("method", method.DeepClone()), ("by", Workbench.Json.JsonSchemas.Enum(["valid-votes"]))], "method")),
            ("tieBreak", Workbench.Json.JsonSchemas.Enum(["more-votes", "lot", "error"])), ("seed", Workbench.Json.JsonSchemas.Integer(0, 1_000_000)),
            ("system", Workbench.Json.JsonSchemas.Enum(["list", "mmp", "parallel", "two-round"])),
            ("constituencySeats", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000))),
            ("overhang", Workbench.Json.JsonSchemas.Enum(["keep", "level", "cap"])),
        ], "method");
        schema["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("votes") }, new JsonObject { ["required"] = new JsonArray("districts") });
        return schema;
    }

    /// <summary>The structure of the indices input as a JSON Schema object.</summary>
    public static JsonObject IndicesSchema()
    {
        var votes = Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000_000_000_000));
        return Workbench.Json.JsonSchemas.Object(
        [
            ("votes", votes), ("seats", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000))),
            ("districts", Workbench.Json.JsonSchemas.Array(votes.DeepClone()).Describe("Two-party votes per district, for the efficiency gap.")),
        ], "votes", "seats");
    }

    /// <summary>Parses the allocate input: through its contract (<see cref="AllocateInputContract"/>), then the checks across fields.</summary>
    public static ElectionInput Parse(string json)
    {
        var c = Read(json, "an allocate input", ElectionsJson.Contract.AllocateInputContract);
        var method = c.Method ?? throw Bad("$.method", "is required.");
        var first = ParseFirstDivisor(c);
        int? seats = c.Seats;
        var (parties, index) = CollectParties(c);
        var districts = ParseDistricts(c, method, seats, parties, index);
        var apportionment = ParseApportionment(c, districts);
        var threshold = ParseThreshold(c);

        var tieBreak = c.TieBreak ?? TieBreak.MoreVotes;
        int seed = c.Seed ?? 1;
        string system = c.System ?? "list";
        var cs = ParseConstituencySeats(c, parties, index, ref districts);
        if (system is "mmp" or "parallel" && cs is null) throw Bad("$.constituencySeats", $"a {system} system needs the constituency seats won per party.");
        string overhang = c.Overhang ?? "keep";
        if (method == Method.Fptp && system == "list")
            for (int k = 0; k < districts.Count; k++)
                if (districts[k].Seats is int s1 && s1 != 1) throw Bad($"$.districts[{k}].seats", "fptp elects one member per district.");
        return new ElectionInput
        {
            Method = method, FirstDivisor = first, Seats = seats, Threshold = threshold, Parties = parties, Districts = districts,
            ApportionmentMethod = apportionment, TieBreak = tieBreak, Seed = seed, System = system, ConstituencySeats = cs, Overhang = overhang,
        };
    }

    /// <summary>$.firstDivisor as the exact rational first divisor (7/5, the modified Sainte-Laguë default, when absent).</summary>
    private static (long, long) ParseFirstDivisor(AllocateInputContract c)
    {
        (long, long) first = (7, 5);
        if (c.FirstDivisor is double f)
        {
            if (f >= ElectionLimits.MaxFirstDivisor) throw Bad("$.firstDivisor", $"{f} must be below {ElectionLimits.MaxFirstDivisor}, the second divisor, so that the divisors increase.");
            first = Apportion.Rational(f);
        }
        return first;
    }

    /// <summary>Checks the shape of $.votes / $.districts and collects the parties in order of first appearance (refused as soon as there are more than the limit).</summary>
    private static (List<string> Parties, Dictionary<string, int> Index) CollectParties(AllocateInputContract c)
    {
        // Parties in order of first appearance (refused as soon as there are more than the limit).
        var parties = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        void Collect(JsonNode? votes, string path)
        {
            if (votes is not JsonObject vo) throw Bad(path, "must be an object of party: votes.");
            foreach (var kv in vo)
                if (index.TryAdd(kv.Key, parties.Count))
                {
                    if (parties.Count == ElectionLimits.MaxParties)
                        throw Bad(path, $"more than {ElectionLimits.MaxParties:N0} parties (the limit; this input names {vo.Count:N0} here).");
                    parties.Add(kv.Key);
                }
        }
        var districts = c.Districts;
        if (districts is null && c.Votes is null) throw Bad("$.votes", "is required (or districts).");
        if (districts is not null && c.Votes is not null) throw Bad("$.votes", "give either votes (one district) or districts, not both.");
        if (districts is not null && districts.Count > ElectionLimits.MaxDistricts)
            throw Bad("$.districts", $"{districts.Count:N0} districts; at most {ElectionLimits.MaxDistricts:N0} are allowed.");
        if (districts is null) Collect(c.Votes, "$.votes");
        else for (int k = 0; k < districts.Count; k++) Collect(districts[k].Votes, $"$.districts[{k}].votes");
        if (parties.Count == 0) throw Bad(districts is null ? "$.votes" : "$.districts[0].votes", "no parties.");
        int districtCount = districts?.Count ?? 1;
        if ((long)parties.Count * districtCount > ElectionLimits.MaxCells)
            throw Bad("$.districts", $"{parties.Count:N0} parties × {districtCount:N0} districts = {(long)parties.Count * districtCount:N0} vote counts; at most {ElectionLimits.MaxCells:N0} are allowed.");
        return (parties, index);
    }

    /// <summary>One district's votes per party, in the order of <paramref name="parties"/>.</summary>
    private static long[] VotesOf(JsonObject vo, string path, List<string> parties, Dictionary<string, int> index)
    {
        var v = new long[parties.Count];
        foreach (var kv in vo) v[index[kv.Key]] = ParseVotes(kv.Value, $"{path}.{kv.Key}");
        return v;
    }

    /// <summary>Reads the districts: the one national district of $.votes, or each of $.districts with its name, seats, method, blank votes and second round.</summary>
    private static List<District> ParseDistricts(AllocateInputContract c, Method method, int? seats, List<string> parties, Dictionary<string, int> index)
    {
        var districts = new List<District>();
        if (c.Districts is null)
        {
            if (seats is null) throw Bad("$.seats", "is required.");
            districts.Add(new District("national", method == Method.Fptp ? 1 : seats, null, VotesOf((JsonObject)c.Votes!, "$.votes", parties, index), c.Blank ?? 0));
        }
        else
        {
            if (c.Districts.Count == 0) throw Bad("$.districts", "must not be empty.");
            var names = new HashSet<string>();
            for (int k = 0; k < c.Districts.Count; k++) districts.Add(ParseDistrict(c.Districts[k], k, method, names, parties, index));
        }
        return districts;
    }

    /// <summary>Reads $.districts[<paramref name="k"/>]: its name (unique), seats, method, blank votes, votes and second-round votes.</summary>
    private static District ParseDistrict(DistrictContract d, int k, Method method, HashSet<string> names, List<string> parties, Dictionary<string, int> index)
    {
        string p = $"$.districts[{k}]";
        string name = d.Name ?? $"district {k + 1}";
        if (!names.Add(name)) throw Bad(p + ".name", $"'{name}' is used by another district.");
        int? ds = d.Seats ?? (method == Method.Fptp && d.Method is null ? 1 : null);
        long[]? second = null;
        if (d.SecondRound is not (null or JsonObject)) throw Bad(p + ".secondRound", $"expected an object of party: votes, got {Workbench.Json.JsonInput.Kind(d.SecondRound)}.");
        if (d.SecondRound is JsonObject sr)
        {
            second = new long[parties.Count];
            foreach (var kv in sr)
            {
                if (!index.TryGetValue(kv.Key, out int j)) throw Bad($"{p}.secondRound.{kv.Key}", "a party that had no first-round votes.");
                second[j] = ParseVotes(kv.Value, $"{p}.secondRound.{kv.Key}");
            }
        }
        return new District(name, ds, d.Method, VotesOf((JsonObject)d.Votes!, p + ".votes", parties, index), d.Blank ?? 0, second);
    }

    /// <summary>Reads $.apportionment (the method that gives districts without seats theirs) and checks every district has seats or a rule.</summary>
    private static Method? ParseApportionment(AllocateInputContract c, List<District> districts)
    {
        Method? apportionment = null;
        if (c.Apportionment is { } ap) apportionment = ap.Method ?? ReadMethod(null, m => Bad("$.apportionment.method", m));
        for (int k = 0; k < districts.Count; k++)
            if (districts[k].Seats is null && apportionment is null)
                throw Bad($"$.districts[{k}].seats", $"district '{districts[k].Name}' has no seats and there is no apportionment rule.");
        return apportionment;
    }

    /// <summary>Reads $.threshold: share, scope, base, quota, exempt parties, per-party shares and the electorate-seat exemption.</summary>
    private static Threshold? ParseThreshold(AllocateInputContract c)
    {
        if (c.Threshold is not { } t) return null;
        var partyShares = new Dictionary<string, double>();
        if (t.PartyShares is not (null or JsonObject)) throw Bad("$.threshold.partyShares", $"expected an object of party: share, got {Workbench.Json.JsonInput.Kind(t.PartyShares)}.");
        if (t.PartyShares is JsonObject ps)
            foreach (var kv in ps) partyShares[kv.Key] = ParseDouble(kv.Value, $"$.threshold.partyShares.{kv.Key}", 0, 1);
        return new Threshold
        {
            Share = t.Share, Scope = t.Scope ?? "national", Base = t.Base ?? "valid", Quota = t.Quota, Exempt = t.Exempt ?? [],
            PartyShares = partyShares, ElectorateSeats = t.ElectorateSeats,
        };
    }

    /// <summary>
    /// Reads $.constituencySeats (seats won per party in constituencies, for MMP and parallel systems); parties that won
    /// constituencies but had no list votes join the party list with 0 votes everywhere.
    /// </summary>
    private static int[]? ParseConstituencySeats(AllocateInputContract c, List<string> parties, Dictionary<string, int> index, ref List<District> districts)
    {
        if (c.ConstituencySeats is null) return null;
        if (c.ConstituencySeats is not JsonObject cso) throw Bad("$.constituencySeats", $"expected an object of party: seats, got {Workbench.Json.JsonInput.Kind(c.ConstituencySeats)}.");
        // Parties that won constituencies but had no list votes join the party list with 0 votes everywhere.
        int before = parties.Count;
        foreach (var kv in cso)
            if (index.TryAdd(kv.Key, parties.Count))
            {
                if (parties.Count == ElectionLimits.MaxParties) throw Bad("$.constituencySeats", $"more than {ElectionLimits.MaxParties:N0} parties (the limit).");
                parties.Add(kv.Key);
            }
        if (parties.Count > before)
        {
            if ((long)parties.Count * districts.Count > ElectionLimits.MaxCells)
                throw Bad("$.constituencySeats", $"{parties.Count:N0} parties × {districts.Count:N0} districts exceed the limit of {ElectionLimits.MaxCells:N0} vote counts.");
            districts = districts.Select(d => d with { Votes = [.. d.Votes, .. new long[parties.Count - before]] }).ToList();
        }
        var cs = new int[parties.Count];
        long csSum = 0;
        foreach (var kv in cso) csSum += cs[index[kv.Key]] = ParseInt(kv.Value, $"$.constituencySeats.{kv.Key}");
        if (csSum > ElectionLimits.MaxSeats) throw Bad("$.constituencySeats", $"{csSum:N0} constituency seats in all; at most {ElectionLimits.MaxSeats:N0} are allowed.");
        return cs;
    }

    /// <summary>The allocate output: seats, districts, ties, tieBreak, indices (efficiencyGap only with two parties).</summary>
    public static JsonObject ToJson(ElectionResult r, ElectionInput input)
    {
        var seats = new JsonObject();
        for (int j = 0; j < r.Parties.Count; j++) seats[r.Parties[j]] = r.Seats[j];
        var districts = new JsonArray();
        foreach (var (name, s) in r.Districts)
        {
            var ds = new JsonObject();
            for (int j = 0; j < r.Parties.Count; j++) ds[r.Parties[j]] = s[j];
            districts.Add(new JsonObject { ["name"] = name, ["seats"] = ds });
        }
        var ties = new JsonArray();
        foreach (var t in r.Ties)
            ties.Add(new JsonObject
            {
                ["district"] = t.District, ["parties"] = new JsonArray(t.Parties.Select(p => (JsonNode)p!).ToArray()), ["seats"] = t.Seats,
                ["quotient"] = t.Quotient, ["winners"] = new JsonArray(t.Winners.Select(p => (JsonNode)p!).ToArray()), ["resolution"] = t.Resolution,
            });
        var indices = IndicesJson(r.Votes, r.Seats.Select(s => (long)s).ToArray(),
            r.Parties.Count == 2 && input.System == "list" ? input.Districts.Select(d => (d.Votes[0], d.Votes[1])).ToArray() : null);
        var result = new JsonObject
        {
            ["seats"] = seats, ["districts"] = districts, ["ties"] = ties,
            ["tieBreak"] = TieBreakName(r.TieBreak),
            ["indices"] = indices,
        };
        if (r.BelowThreshold.Count > 0) result["belowThreshold"] = new JsonArray(r.BelowThreshold.Select(p => (JsonNode)p!).ToArray());
        if (r.Overhang is not null)
        {
            var oh = new JsonObject();
            for (int j = 0; j < r.Parties.Count; j++) oh[r.Parties[j]] = r.Overhang[j];
            result["overhang"] = oh;
            result["totalSeats"] = r.TotalSeats;
        }
        return result;
    }

    /// <summary>The indices object: gallagher (0–100), loosemoreHanby, enpVotes, enpSeats, efficiencyGap (two parties only).</summary>
    public static JsonObject IndicesJson(IReadOnlyList<long> votes, IReadOnlyList<long> seats, IReadOnlyList<(long, long)>? twoPartyDistricts)
    {
        var v = votes.Select(x => (double)x).ToArray(); var s = seats.Select(x => (double)x).ToArray();
        var o = new JsonObject
        {
            ["gallagher"] = Math.Round(Indices.Gallagher(v, s), 6),
            ["loosemoreHanby"] = Math.Round(Indices.LoosemoreHanby(v, s), 6),
            ["enpVotes"] = Math.Round(Indices.EffectiveNumberOfParties(v), 6),
            ["enpSeats"] = Math.Round(Indices.EffectiveNumberOfParties(s), 6),
        };
        if (twoPartyDistricts is not null) o["efficiencyGap"] = Math.Round(Indices.EfficiencyGap(twoPartyDistricts), 6);
        return o;
    }

    /// <summary>Runs the indices command input: <c>{ "votes": {...}, "seats": {...} }</c> (optionally "districts" of two-party votes for the efficiency gap).</summary>
    public static JsonObject ComputeIndices(string json)
    {
        var c = Read(json, "an indices input", ElectionsJson.Contract.IndicesInputContract);
        if (c.Votes is not JsonObject vo) throw Bad("$.votes", "is required: an object of party: votes.");
        if (c.Seats is not JsonObject so) throw Bad("$.seats", "is required: an object of party: seats.");
        if (vo.Count > ElectionLimits.MaxParties) throw Bad("$.votes", $"{vo.Count:N0} parties; at most {ElectionLimits.MaxParties:N0} are allowed.");
        if (so.Count > ElectionLimits.MaxParties) throw Bad("$.seats", $"{so.Count:N0} parties; at most {ElectionLimits.MaxParties:N0} are allowed.");
        var parties = vo.Select(kv => kv.Key).Union(so.Select(kv => kv.Key), StringComparer.Ordinal).ToList();
        if (parties.Count > ElectionLimits.MaxParties) throw Bad("$.seats", $"{parties.Count:N0} parties in votes and seats together; at most {ElectionLimits.MaxParties:N0} are allowed.");
        long seatTotal = 0;
        foreach (var kv in so) seatTotal += ParseInt(kv.Value, $"$.seats.{kv.Key}");
        if (seatTotal > ElectionLimits.MaxSeats) throw Bad("$.seats", $"{seatTotal:N0} seats in all; at most {ElectionLimits.MaxSeats:N0} are allowed.");
        var votes = parties.Select(p => vo[p] is { } n ? ParseVotes(n, $"$.votes.{p}") : 0).ToArray();
        var seats = parties.Select(p => so[p] is { } n ? (long)ParseInt(n, $"$.seats.{p}") : 0).ToArray();
        if (c.Districts is not (null or JsonArray)) throw Bad("$.districts", $"expected an array of two-party votes, got {Workbench.Json.JsonInput.Kind(c.Districts)}.");
        List<(long, long)>? districts = null;
        if (parties.Count == 2)
        {
            districts = [];
            if (c.Districts is JsonArray da)
            {
                if (da.Count == 0) throw Bad("$.districts", "must not be empty (leave it out to use the national votes as one district).");
                if (da.Count > ElectionLimits.MaxDistricts) throw Bad("$.districts", $"{da.Count:N0} districts; at most {ElectionLimits.MaxDistricts:N0} are allowed.");
                for (int k = 0; k < da.Count; k++)
                {
                    if (da[k] is not JsonObject d) throw Bad($"$.districts[{k}]", "must be an object of party: votes.");
                    KnownKeys(d, $"$.districts[{k}]", parties[0], parties[1]);
                    districts.Add((d[parties[0]] is { } a ? ParseVotes(a, $"$.districts[{k}].{parties[0]}") : 0, d[parties[1]] is { } b ? ParseVotes(b, $"$.districts[{k}].{parties[1]}") : 0));
                }
            }
            else districts.Add((votes[0], votes[1]));
        }
        return IndicesJson(votes, seats, districts);
    }
}
