using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Elections;

/// <summary>A legal threshold (MODEL.md §7). A party must meet every condition given unless it is exempt.</summary>
public sealed record Threshold
{
    /// <summary>Minimum share of the base (0..1).</summary>
    public double? Share { get; init; }
    /// <summary>"district" or "national".</summary>
    public string Scope { get; init; } = "national";
    /// <summary>"valid" or "valid-including-blank".</summary>
    public string Base { get; init; } = "valid";
    /// <summary>Quota threshold: at least this many full Hare quotas of national votes (votes ≥ q·V/S).</summary>
    public double? Quota { get; init; }
    /// <summary>Parties exempt from the threshold (e.g. national-minority parties).</summary>
    public IReadOnlyList<string> Exempt { get; init; } = [];
    /// <summary>Per-party share thresholds that replace <see cref="Share"/> (e.g. higher thresholds for coalitions).</summary>
    public IReadOnlyDictionary<string, double> PartyShares { get; init; } = new Dictionary<string, double>();
    /// <summary>MMP: parties winning at least this many constituency seats are exempt (Germany 3, New Zealand 1).</summary>
    public int? ElectorateSeats { get; init; }
}

/// <summary>One district: its name, seats (or null when apportioned), method override, votes and blank votes.</summary>
public sealed record District(string Name, int? Seats, Method? Method, IReadOnlyList<long> Votes, long Blank = 0, IReadOnlyList<long>? SecondRound = null);

/// <summary>
/// An allocation problem: the input of <c>workbench allocate</c> (its JSON contract is in docs/elections.md).
/// Parties are in input order; every district lists the same parties (missing = 0 votes).
/// </summary>
public sealed record ElectionInput
{
    /// <summary>The allocation method in every district (default D'Hondt).</summary>
    public Method Method { get; init; } = Method.DHondt;
    /// <summary>First divisor of modified Sainte-Laguë as an exact rational (default 7/5).</summary>
    public (long Num, long Den) FirstDivisor { get; init; } = (7, 5);
    /// <summary>Total seats (required when districts do not all give seats).</summary>
    public int? Seats { get; init; }
    /// <summary>Legal threshold a party must pass to take seats (none by default).</summary>
    public Threshold? Threshold { get; init; }
    /// <summary>Party names in input order (the order breaks the last ties).</summary>
    public IReadOnlyList<string> Parties { get; init; } = [];
    /// <summary>Districts with their votes per party and, optionally, their seats.</summary>
    public IReadOnlyList<District> Districts { get; init; } = [];
    /// <summary>Method that apportions <see cref="Seats"/> among districts without seats, by valid votes.</summary>
    public Method? ApportionmentMethod { get; init; }
    /// <summary>How exact ties are resolved (default: the tied party with more votes).</summary>
    public TieBreak TieBreak { get; init; } = TieBreak.MoreVotes;
    /// <summary>Seed of the lot that breaks exact ties under <see cref="TieBreak.Lot"/> (0 to 1,000,000; default 1, as in the JSON contract).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>"list" (default), "mmp", "parallel" or "two-round".</summary>
    public string System { get; init; } = "list";
    /// <summary>MMP/parallel: constituency seats won per party.</summary>
    public IReadOnlyList<int>? ConstituencySeats { get; init; }
    /// <summary>MMP: "keep" (house grows, New Zealand), "level" (leveling seats until proportional, Germany 2013–2020) or "cap" (uncovered constituency seats not awarded, Germany 2023).</summary>
    public string Overhang { get; init; } = "keep";
}

/// <summary>The result of an allocation.</summary>
public sealed record ElectionResult
{
    /// <summary>Party names in input order.</summary>
    public IReadOnlyList<string> Parties { get; init; } = [];
    /// <summary>Total votes per party (sum over districts; list votes under MMP).</summary>
    public IReadOnlyList<long> Votes { get; init; } = [];
    /// <summary>Seats per party (summed over districts, plus list and leveling seats where the system has them).</summary>
    public IReadOnlyList<int> Seats { get; init; } = [];
    /// <summary>Seats per party in each district.</summary>
    public IReadOnlyList<(string Name, int[] Seats)> Districts { get; init; } = [];
    /// <summary>Every exact tie met and how it was resolved.</summary>
    public IReadOnlyList<Tie> Ties { get; init; } = [];
    /// <summary>The tie-break rule in force.</summary>
    public TieBreak TieBreak { get; init; }
    /// <summary>Parties below the threshold (excluded from seats).</summary>
    public IReadOnlyList<string> BelowThreshold { get; init; } = [];
    /// <summary>MMP: overhang seats per party (constituency seats beyond the proportional entitlement).</summary>
    public IReadOnlyList<int>? Overhang { get; init; }

    /// <summary>Seats allocated in all.</summary>
    public int TotalSeats => Seats.Sum();
    /// <summary>Gallagher's least-squares index of disproportionality (percentage points).</summary>
    public double Gallagher => Indices.Gallagher(Votes.Select(v => (double)v).ToArray(), Seats.Select(s => (double)s).ToArray());
    /// <summary>Loosemore–Hanby index of disproportionality (percentage points).</summary>
    public double LoosemoreHanby => Indices.LoosemoreHanby(Votes.Select(v => (double)v).ToArray(), Seats.Select(s => (double)s).ToArray());
    /// <summary>Effective number of parties by votes (Laakso &amp; Taagepera 1979).</summary>
    public double EnpVotes => Indices.EffectiveNumberOfParties(Votes.Select(v => (double)v).ToArray());
    /// <summary>Effective number of parties by seats.</summary>
    public double EnpSeats => Indices.EffectiveNumberOfParties(Seats.Select(s => (double)s).ToArray());

    /// <summary>Seats of a party by name.</summary>
    public int this[string party] => Seats[Parties.ToList().IndexOf(party) is var i and >= 0 ? i : throw new KeyNotFoundException($"No party '{party}'.")];

    /// <summary>An HTML table of votes, vote share, seats and seat share per party, with the indices.</summary>
    public string ToHtml()
    {
        var ci = CultureInfo.InvariantCulture;
        double tv = Votes.Sum(v => (double)v), ts = Math.Max(1, TotalSeats);
        var sb = new StringBuilder("<table><thead><tr><th>party</th><th>votes</th><th>votes %</th><th>seats</th><th>seats %</th></tr></thead><tbody>");
        for (int i = 0; i < Parties.Count; i++)
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(Parties[i])).Append("</td><td>").Append(Votes[i].ToString("N0", ci))
              .Append("</td><td>").Append((100 * Votes[i] / tv).ToString("F1", ci)).Append("</td><td>").Append(Seats[i].ToString(ci))
              .Append("</td><td>").Append((100 * Seats[i] / ts).ToString("F1", ci)).Append("</td></tr>");
        sb.Append("</tbody></table><p>Gallagher ").Append(Gallagher.ToString("F2", ci)).Append(", Loosemore–Hanby ").Append(LoosemoreHanby.ToString("F2", ci))
          .Append(", ENP votes ").Append(EnpVotes.ToString("F2", ci)).Append(", ENP seats ").Append(EnpSeats.ToString("F2", ci));
        if (Ties.Count > 0) sb.Append(", ").Append(Ties.Count).Append(" tie(s) resolved by ").Append(TieBreak);
        return sb.Append("</p>").ToString();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Parties.Select((p, i) => $"{p} {Seats[i]}"));
}

/// <summary>Runs an <see cref="ElectionInput"/>: thresholds, district apportionment, the method per district, MMP/parallel/two-round.</summary>
public static class ElectionEngine
{
    private static ArgumentException Bad(string path, string message) => new($"{path}: {message}");

    /// <summary>
    /// Checks the input against <see cref="ElectionLimits"/> and its own consistency before any work, and returns
    /// each party's votes summed over the districts. Errors name the field by its JSON path.
    /// </summary>
    private static long[] Validate(ElectionInput input)
    {
        int P = input.Parties.Count, D = input.Districts.Count;
        if (P == 0) throw Bad("$.votes", "at least one party is needed.");
        if (P > ElectionLimits.MaxParties) throw Bad("$.votes", $"{P:N0} parties; at most {ElectionLimits.MaxParties:N0} are allowed.");
        if (D == 0) throw Bad("$.districts", "at least one district is needed.");
        if (D > ElectionLimits.MaxDistricts) throw Bad("$.districts", $"{D:N0} districts; at most {ElectionLimits.MaxDistricts:N0} are allowed.");
        if ((long)P * D > ElectionLimits.MaxCells)
            throw Bad("$.districts", $"{P:N0} parties × {D:N0} districts = {(long)P * D:N0} vote counts; at most {ElectionLimits.MaxCells:N0} are allowed.");
        if (input.Seed is < 0 or > 1_000_000) throw Bad("$.seed", $"{input.Seed} is outside [0, 1,000,000].");
        if (input.Seats is int hs && (hs < 0 || hs > ElectionLimits.MaxSeats)) throw Bad("$.seats", $"{hs} is outside [0, {ElectionLimits.MaxSeats:N0}].");
        if (input.ConstituencySeats is { } cs)
        {
            if (cs.Count != P) throw Bad("$.constituencySeats", $"has {cs.Count} entries for {P} parties.");
            for (int j = 0; j < P; j++)
                if (cs[j] < 0 || cs[j] > ElectionLimits.MaxSeats) throw Bad($"$.constituencySeats.{input.Parties[j]}", $"{cs[j]} is outside [0, {ElectionLimits.MaxSeats:N0}].");
        }
        var national = new Int128[P];
        long seatSum = 0;
        for (int k = 0; k < D; k++)
        {
            var d = input.Districts[k];
            string path = D == 1 && d.Name == "national" ? "$" : $"$.districts[{k}]";
            if (d.Votes.Count != P) throw Bad(path + ".votes", $"has {d.Votes.Count} vote counts for {P} parties.");
            if (d.SecondRound is { } sr && sr.Count != P) throw Bad(path + ".secondRound", $"has {sr.Count} vote counts for {P} parties.");
            if (d.Seats is int s)
            {
                if (s < 0 || s > ElectionLimits.MaxSeats) throw Bad(path + ".seats", $"{s} is outside [0, {ElectionLimits.MaxSeats:N0}].");
                seatSum += s;
            }
            if (d.Blank < 0 || d.Blank > ElectionLimits.MaxVoteCount) throw Bad(path + ".blank", $"{d.Blank} is outside [0, {ElectionLimits.MaxVoteCount:N0}].");
            Int128 districtTotal = 0;
            for (int j = 0; j < P; j++)
            {
                long v = d.Votes[j];
                if (v < 0 || v > ElectionLimits.MaxVoteCount) throw Bad($"{path}.votes.{input.Parties[j]}", $"{v} is outside [0, {ElectionLimits.MaxVoteCount:N0}].");
                national[j] += v; districtTotal += v;
                if (d.SecondRound is { } r2 && (r2[j] < 0 || r2[j] > ElectionLimits.MaxVoteCount))
                    throw Bad($"{path}.secondRound.{input.Parties[j]}", $"{r2[j]} is outside [0, {ElectionLimits.MaxVoteCount:N0}].");
            }
            if (d.Seats is null && districtTotal > ElectionLimits.MaxVoteCount)
                throw Bad(path + ".votes", $"the district's {districtTotal:N0} valid votes, by which seats are apportioned, exceed the limit of {ElectionLimits.MaxVoteCount:N0}.");
        }
        if (seatSum > ElectionLimits.MaxSeats) throw Bad("$.districts", $"the districts' seats add up to {seatSum:N0}; at most {ElectionLimits.MaxSeats:N0} are allowed.");
        var result = new long[P];
        for (int j = 0; j < P; j++)
        {
            if (national[j] > ElectionLimits.MaxVoteCount)
                throw Bad($"$.districts", $"party '{input.Parties[j]}' has {national[j]:N0} votes over all districts; at most {ElectionLimits.MaxVoteCount:N0} are allowed.");
            result[j] = (long)national[j];
        }
        return result;
    }

    /// <summary>
    /// Allocates seats. The input is checked against <see cref="ElectionLimits"/> before any work; a violation, like any
    /// inconsistent input, is an <see cref="ArgumentException"/> whose message starts with the JSON path of the field.
    /// </summary>
    public static ElectionResult Run(ElectionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int P = input.Parties.Count;
        var national = Validate(input);
        var ties = new List<Tie>();
        long nationalBlank = 0;
        foreach (var d in input.Districts) nationalBlank += d.Blank;

        if (input.System == "two-round") return TwoRound(input, national, ties);

        // Seats per district: given, or apportioned by valid votes.
        var districtSeats = input.Districts.Select(d => d.Seats).ToArray();
        if (districtSeats.Any(s => s is null))
        {
            if (input.ApportionmentMethod is null) throw Bad($"$.districts[{Array.FindIndex(districtSeats, s => s is null)}].seats", "a district without seats needs an apportionment rule.");
            if (input.Seats is null) throw Bad("$.seats", "apportioning seats to districts needs the total number of seats.");
            int given = districtSeats.Where(s => s is not null).Sum(s => s!.Value);
            if (given > input.Seats.Value) throw Bad("$.seats", $"{input.Seats.Value} is fewer than the {given} seats the districts already have.");
            var idx = Enumerable.Range(0, districtSeats.Length).Where(i => districtSeats[i] is null).ToArray();
            var dv = idx.Select(i => input.Districts[i].Votes.Sum()).ToArray(); // each ≤ MaxVoteCount (checked above)
            var names = idx.Select(i => input.Districts[i].Name).ToArray();
            var ap = At("$.apportionment.method", () => AllocateOne(input.ApportionmentMethod.Value, dv, input.Seats.Value - given, null, input, names, "apportionment", ties));
            for (int k = 0; k < idx.Length; k++) districtSeats[idx[k]] = ap[k];
        }
        int listSeats = districtSeats.Sum(s => s!.Value);
        if (input.Seats is not null && input.System == "list" && input.Seats != listSeats)
            throw Bad("$.seats", $"{input.Seats} does not equal the sum of district seats ({listSeats}).");

        // National eligibility (national-scope share and quota thresholds, exemptions).
        var eligibleNational = Eligibility(input, national, nationalBlank, listSeats, input.ConstituencySeats, national: true);
        var below = input.Parties.Where((_, j) => !eligibleNational[j]).ToList();

        if (input.System is "mmp") return Mmp(input, national, eligibleNational, below, ties);
        if (input.System is "parallel")
        {
            var cs = input.ConstituencySeats ?? throw Bad("$.constituencySeats", "a parallel system needs the constituency seats won per party.");
            var list = At("$.seats", () => AllocateOne(input.Method, national, listSeats, eligibleNational, input, input.Parties, "list tier", ties));
            var total = list.Select((s, j) => s + cs[j]).ToArray();
            return new ElectionResult { Parties = input.Parties, Votes = national, Seats = total, Districts = [("list tier", list), ("constituencies", cs.ToArray())], Ties = ties, TieBreak = input.TieBreak, BelowThreshold = below };
        }

        var seats = new int[P];
        var districts = new List<(string, int[])>();
        for (int k = 0; k < input.Districts.Count; k++)
        {
            var d = input.Districts[k];
            var eligible = (bool[])eligibleNational.Clone();
            if (input.Threshold is { Scope: "district" })
            {
                var local = Eligibility(input, d.Votes.ToArray(), d.Blank, districtSeats[k]!.Value, null, national: false);
                for (int j = 0; j < P; j++) eligible[j] = eligible[j] && local[j];
            }
            var m = d.Method ?? input.Method;
            int s = districtSeats[k]!.Value;
            if (m == Method.Fptp && s != 1) throw Bad($"$.districts[{k}].seats", $"fptp elects one member per district; '{d.Name}' has {s}.");
            var a = At(input.Districts.Count == 1 && d.Name == "national" ? "$.seats" : $"$.districts[{k}].seats",
                () => AllocateOne(m, d.Votes.ToArray(), s, eligible, input, input.Parties, d.Name, ties));
            for (int j = 0; j < P; j++) seats[j] += a[j];
            districts.Add((d.Name, a));
        }
        return new ElectionResult { Parties = input.Parties, Votes = national, Seats = seats, Districts = districts, Ties = ties, TieBreak = input.TieBreak, BelowThreshold = below };
    }

    // An allocation that cannot be done with these numbers (e.g. a largest-remainder quota that leaves more seats than
    // remainders) is reported at the JSON path of the field that asked for it.
    private static int[] At(string path, Func<int[]> allocate)
    {
        try { return allocate(); }
        catch (ArgumentException ex) when (!ex.Message.StartsWith('$')) { throw Bad(path, ex.Message); }
    }

    private static int[] AllocateOne(Method m, long[] votes, int seats, bool[]? eligible, ElectionInput input, IReadOnlyList<string> names, string district, List<Tie> ties)
    {
        if (m == Method.Fptp)
        {
            // Plurality: one seat to the most votes; an equal top is a tie resolved like a divisor tie.
            return Apportion.Divisor(Method.DHondt, votes, Math.Min(seats, 1), null, eligible, input.TieBreak, (ulong)input.Seed, names, district, ties);
        }
        return Apportion.IsDivisor(m)
            ? Apportion.Divisor(m, votes, seats, input.FirstDivisor, eligible, input.TieBreak, (ulong)input.Seed, names, district, ties)
            : Apportion.LargestRemainder(m, votes, seats, eligible, input.TieBreak, (ulong)input.Seed, names, district, ties);
    }

    private static bool[] Eligibility(ElectionInput input, long[] votes, long blank, int seats, IReadOnlyList<int>? constituencySeats, bool national)
    {
        int P = votes.Length;
        var ok = Enumerable.Repeat(true, P).ToArray();
        var t = input.Threshold;
        if (t is null) return ok;
        bool scopeMatches = national ? t.Scope == "national" : t.Scope == "district";
        Int128 valid = 0; // up to 10^6 parties of 10^18 votes: beyond 64 bits (and within decimal's 7.9 × 10^28)
        foreach (var v in votes) valid += v;
        decimal validVotes = (decimal)valid, baseVotes = validVotes + (t.Base == "valid-including-blank" ? blank : 0);
        var exempt = t.Exempt.ToHashSet(StringComparer.Ordinal);
        for (int j = 0; j < P; j++)
        {
            string name = input.Parties[j];
            if (exempt.Contains(name)) continue;
            if (national && t.ElectorateSeats is int es && constituencySeats is not null && constituencySeats[j] >= es) continue;
            if (scopeMatches)
            {
                double? share = t.PartyShares.TryGetValue(name, out var ps) ? ps : t.Share;
                if (share is double sh && baseVotes > 0 && (decimal)votes[j] < (decimal)sh * baseVotes) ok[j] = false;
            }
            // A quota threshold is national: at least q full Hare quotas of national valid votes.
            if (national && t.Quota is double q && seats > 0 && (decimal)votes[j] * seats < (decimal)q * validVotes) ok[j] = false;
        }
        return ok;
    }

    private static ElectionResult Mmp(ElectionInput input, long[] listVotes, bool[] eligible, List<string> below, List<Tie> ties)
    {
        int P = input.Parties.Count;
        var cs = input.ConstituencySeats ?? throw Bad("$.constituencySeats", "MMP needs the constituency seats won per party.");
        int house = input.Seats ?? throw Bad("$.seats", "MMP needs the base house size.");
        // Constituency seats won by parties outside the allocation (independents, below-threshold parties) reduce the list pool.
        long outside = Enumerable.Range(0, P).Where(j => !eligible[j]).Sum(j => (long)cs[j]);
        if (outside > house) throw Bad("$.seats", $"the house of {house} seats is smaller than the {outside} constituency seats won outside the list allocation.");
        int pool = house - (int)outside;
        int[] Entitle(int size, List<Tie>? report = null) => At("$.seats", () => AllocateOne(input.Method, listVotes, size, eligible, input, input.Parties, "list tier", report ?? new List<Tie>()));
        var ent = input.Overhang == "level" ? Entitle(pool) : Entitle(pool, ties);
        var seats = new int[P];
        var overhang = new int[P];
        switch (input.Overhang)
        {
            case "keep":
                for (int j = 0; j < P; j++) { seats[j] = eligible[j] ? Math.Max(ent[j], cs[j]) : cs[j]; overhang[j] = Math.Max(0, cs[j] - ent[j]) * (eligible[j] ? 1 : 0); }
                break;
            case "level":
                // A party without list votes can never be covered; it keeps its constituency seats as they are.
                bool Covered(int[] e) { for (int j = 0; j < P; j++) if (eligible[j] && listVotes[j] > 0 && e[j] < cs[j]) return false; return true; }
                int size = LevelSize(input, listVotes, eligible, cs, pool, Covered, s => Entitle(s));
                ent = Entitle(size, ties);
                for (int j = 0; j < P; j++) seats[j] = eligible[j] && listVotes[j] > 0 ? ent[j] : cs[j];
                break;
            case "cap":
                for (int j = 0; j < P; j++) { seats[j] = eligible[j] ? ent[j] : 0; overhang[j] = Math.Max(0, cs[j] - ent[j]); }
                break;
            default: throw Bad("$.overhang", $"'{input.Overhang}' is not one of keep, level, cap.");
        }
        return new ElectionResult
        {
            Parties = input.Parties, Votes = listVotes, Seats = seats, Ties = ties, TieBreak = input.TieBreak, BelowThreshold = below,
            Districts = [("list entitlement", ent), ("constituencies", cs.ToArray())], Overhang = overhang,
        };
    }

    /// <summary>
    /// The smallest house size ≥ <paramref name="pool"/> at which every covered party's entitlement reaches its constituency seats
    /// (the first size a seat-by-seat search would find). Divisor methods are house monotone, so the size is found by doubling and
    /// bisection; largest-remainder methods are not (the Alabama paradox), so the search goes seat by seat from a size below which
    /// no party can be covered: a quota of at least V/(size + 2) gives at most v·(size + 2)/V + 1 seats.
    /// </summary>
    private static int LevelSize(ElectionInput input, long[] listVotes, bool[] eligible, IReadOnlyList<int> cs, int pool, Func<int[], bool> covered, Func<int, int[]> entitle)
    {
        const int Max = ElectionLimits.MaxSeats;
        Exception TooBig() => Bad("$.overhang", $"leveling would need a house of more than {Max:N0} seats (the limit) to cover every party's constituency seats.");
        if (covered(entitle(pool))) return pool;
        if (Apportion.IsDivisor(input.Method) || input.Method == Method.Fptp)
        {
            long lo = pool, hi = pool;
            do { lo = hi; hi = Math.Min(Max, Math.Max(hi * 2, hi + 1)); if (!covered(entitle((int)hi))) { if (hi == Max) throw TooBig(); continue; } break; } while (true);
            while (hi - lo > 1) { long mid = (lo + hi) / 2; if (covered(entitle((int)mid))) hi = mid; else lo = mid; }
            return (int)hi;
        }
        double total = 0;
        for (int j = 0; j < listVotes.Length; j++) if (eligible[j]) total += listVotes[j];
        double start = pool;
        for (int j = 0; j < listVotes.Length; j++)
            if (eligible[j] && listVotes[j] > 0 && cs[j] > 1) start = Math.Max(start, Math.Floor((cs[j] - 1) * (total / listVotes[j]) * (1 - 1e-12)) - 2);
        if (start > Max) throw TooBig();
        for (int size = (int)start; size <= Max; size++) if (covered(entitle(size))) return size;
        throw TooBig();
    }

    private static ElectionResult TwoRound(ElectionInput input, long[] national, List<Tie> ties)
    {
        int P = input.Parties.Count;
        var seats = new int[P];
        var districts = new List<(string, int[])>();
        for (int k = 0; k < input.Districts.Count; k++)
        {
            var d = input.Districts[k];
            Int128 valid = 0;
            foreach (var v in d.Votes) valid += v;
            int top = Enumerable.Range(0, P).OrderByDescending(j => d.Votes[j]).First();
            int[] a;
            if (2 * (Int128)d.Votes[top] > valid) { a = new int[P]; a[top] = 1; }
            else
            {
                var second = d.SecondRound ?? throw Bad($"$.districts[{k}].secondRound", $"no majority in the first round in '{d.Name}', so second-round votes are needed.");
                a = Apportion.Divisor(Method.DHondt, second.ToArray(), 1, null, default, input.TieBreak, (ulong)input.Seed, input.Parties, d.Name, ties);
            }
            for (int j = 0; j < P; j++) seats[j] += a[j];
            districts.Add((d.Name, a));
        }
        return new ElectionResult { Parties = input.Parties, Votes = national, Seats = seats, Districts = districts, Ties = ties, TieBreak = input.TieBreak };
    }
}
