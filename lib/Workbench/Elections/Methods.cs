using System.Numerics;
using Workbench.Random;

namespace Workbench.Elections;

/// <summary>Seat-allocation methods (MODEL.md §7). Names match the <c>workbench allocate</c> JSON contract.</summary>
public enum Method
{
    /// <summary>Plurality in single-member districts (first past the post).</summary>
    Fptp,
    /// <summary>D'Hondt (Jefferson) highest averages: divisors 1, 2, 3, …</summary>
    DHondt,
    /// <summary>Sainte-Laguë (Webster): divisors 1, 3, 5, …</summary>
    SainteLague,
    /// <summary>Modified Sainte-Laguë: first divisor f (default 1.4), then 3, 5, … (Nordic countries).</summary>
    ModifiedSainteLague,
    /// <summary>Imperiali highest averages: divisors 2, 3, 4, …</summary>
    Imperiali,
    /// <summary>Huntington–Hill: divisors √(s(s+1)); every party with votes gets a first seat.</summary>
    HuntingtonHill,
    /// <summary>Danish highest averages: divisors 1, 4, 7, …</summary>
    Danish,
    /// <summary>Largest remainder with the Hare quota V/S (Hamilton).</summary>
    Hare,
    /// <summary>Largest remainder with the Droop quota ⌊V/(S+1)⌋ + 1.</summary>
    Droop,
    /// <summary>Largest remainder with the Imperiali quota V/(S+2).</summary>
    ImperialiQuota,
}

/// <summary>How a tie for the last seat(s) is resolved (an explicit parameter; ties are always reported).</summary>
public enum TieBreak
{
    /// <summary>The tied party with more votes wins; if votes are equal too, the earlier party in input order.</summary>
    MoreVotes,
    /// <summary>Drawing lots with a seeded random stream.</summary>
    Lot,
    /// <summary>A tie is an error: allocation fails and names the tied parties.</summary>
    Error,
}

/// <summary>A tie for the last seat(s): who was tied, for how many seats, and how it was resolved.</summary>
public sealed record Tie(string District, IReadOnlyList<string> Parties, int Seats, string Quotient, IReadOnlyList<string> Winners, string Resolution);

/// <summary>Raised when <see cref="TieBreak.Error"/> is in force and a tie occurs.</summary>
public sealed class TieException(Tie tie) : Exception($"Tie in {tie.District} for {tie.Seats} seat(s) between {string.Join(", ", tie.Parties)} (quotient {tie.Quotient}); tieBreak is 'error'.")
{
    public Tie Tie { get; } = tie;
}

/// <summary>
/// Exact seat allocation. Quotients are compared by cross-multiplication in 128-bit or
/// arbitrary-precision integers, never in floating point; divisors are rationals (p/q), and
/// Huntington–Hill's √(s(s+1)) is compared through squares. Ties are detected exactly and
/// resolved by an explicit <see cref="TieBreak"/>.
/// </summary>
public static class Apportion
{
    /// <summary>The k-th divisor (k = seats already won, from 0) of a highest-averages method as a rational num/den; for Huntington–Hill the SQUARE of the divisor.</summary>
    internal static (long Num, long Den) Divisor(Method m, int k, (long Num, long Den) first) => m switch
    {
        Method.DHondt => (k + 1, 1),
        Method.SainteLague => (2L * k + 1, 1),
        Method.ModifiedSainteLague => k == 0 ? first : (2L * k + 1, 1),
        Method.Imperiali => (k + 2, 1),
        Method.Danish => (3L * k + 1, 1),
        Method.HuntingtonHill => ((long)k * (k + 1), 1),
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "not a divisor method."),
    };

    /// <summary>True for the highest-averages methods.</summary>
    public static bool IsDivisor(Method m) => m is Method.DHondt or Method.SainteLague or Method.ModifiedSainteLague or Method.Imperiali or Method.Danish or Method.HuntingtonHill;

    /// <summary>A first divisor given as a decimal (e.g. 1.4) as an exact rational.</summary>
    public static (long Num, long Den) Rational(double value)
    {
        if (!(value > 0) || value > 1e6) throw new ArgumentOutOfRangeException(nameof(value), value, "firstDivisor must be in (0, 1e6].");
        long den = 1;
        while (Math.Abs(value * den - Math.Round(value * den)) > 1e-9 && den < 1_000_000) den *= 10;
        return ((long)Math.Round(value * den), den);
    }

    // Compare v1/d1 with v2/d2 where d = num/den (for HH: compare v1²/d1 with v2²/d2, d the squared divisor).
    // Returns sign(v1/d1 − v2/d2); a zero divisor means +∞ (HH's first seat).
    private static int Compare(long v1, (long Num, long Den) d1, long v2, (long Num, long Den) d2, bool squared)
    {
        if (d1.Num == 0 || d2.Num == 0)
        {
            if (d1.Num == 0 && d2.Num == 0) return (v1 > 0 ? 1 : 0) - (v2 > 0 ? 1 : 0);
            return d1.Num == 0 ? (v1 > 0 ? 1 : -1) : (v2 > 0 ? -1 : 1);
        }
        if (!squared)
        {
            // Fast path: votes below 2^31 and divisor cross-products below 2^32, so the products fit in 63 bits.
            const long Lim = 1L << 31;
            if (v1 < Lim && v2 < Lim && d1.Num < Lim && d1.Den < Lim && d2.Num < Lim && d2.Den < Lim)
            {
                long c1 = d1.Den * d2.Num, c2 = d2.Den * d1.Num;
                if (c1 < 2 * Lim && c2 < 2 * Lim) return (v1 * c1).CompareTo(v2 * c2);
            }
            // v1·den1/num1 vs v2·den2/num2  ⇔  v1·den1·num2 vs v2·den2·num1
            Int128 a = (Int128)v1 * d1.Den * d2.Num, b = (Int128)v2 * d2.Den * d1.Num;
            return a.CompareTo(b);
        }
        BigInteger x = (BigInteger)v1 * v1 * d2.Num, y = (BigInteger)v2 * v2 * d1.Num;
        return x.CompareTo(y);
    }

    /// <summary>
    /// Highest-averages allocation of <paramref name="seats"/> among parties with <paramref name="votes"/>.
    /// Parties with <paramref name="eligible"/>[i] false get no seats. Returns seats per party; ties are
    /// added to <paramref name="ties"/> after resolution by <paramref name="tieBreak"/>.
    /// </summary>
    public static int[] Divisor(Method method, ReadOnlySpan<long> votes, int seats, (long Num, long Den)? firstDivisor = null,
        ReadOnlySpan<bool> eligible = default, TieBreak tieBreak = TieBreak.MoreVotes, ulong seed = 0,
        IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null)
    {
        if (!IsDivisor(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "not a divisor method.");
        if (seats < 0) throw new ArgumentOutOfRangeException(nameof(seats), seats, "seats must be ≥ 0.");
        int n = votes.Length;
        var first = firstDivisor ?? (method == Method.ModifiedSainteLague ? (7, 5) : (1, 1));
        bool sq = method == Method.HuntingtonHill;
        var alloc = new int[n];
        var ok = new bool[n];
        long total = 0; int contenders = 0;
        for (int i = 0; i < n; i++)
        {
            if (votes[i] < 0) throw new ArgumentOutOfRangeException(nameof(votes), votes[i], $"votes[{i}] must be ≥ 0.");
            ok[i] = (eligible.IsEmpty || eligible[i]) && votes[i] > 0;
            if (ok[i]) { total += votes[i]; contenders++; }
        }
        if (seats == 0 || contenders == 0) return alloc;

        // Jump start: seats from a floating-point estimate around the Hare quota λ = V/S, with the
        // rounding each method implies (D'Hondt rounds down, Sainte-Laguë to nearest, ...); the exact
        // corrections below then fix the few parties at the margin.
        // D'Hondt's bias toward large parties is about half a seat per party, so its estimate uses
        // V/(S + P/2) and rounds down; the other methods round λ = V/S to nearest.
        bool large = method is Method.DHondt or Method.Imperiali;
        double lambda = large ? total / (seats + 0.5 * contenders) : (double)total / seats;
        double offset = method == Method.Imperiali ? -1.0 : large ? 0.0 : 0.5;
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!ok[i]) continue;
            int s = (int)Math.Floor(votes[i] / lambda + offset);
            s = Math.Clamp(s, method == Method.HuntingtonHill ? 1 : 0, seats);
            alloc[i] = s; sum += s;
        }
        // Add or remove seats one at a time by the exact next/last quotients.
        while (sum < seats) { alloc[BestNext(votes, alloc, ok, method, first, sq)]++; sum++; }
        while (sum > seats) { alloc[WorstLast(votes, alloc, ok, method, first, sq)]--; sum--; }
        // Exchange until no unawarded quotient beats an awarded one.
        while (true)
        {
            int b = BestNext(votes, alloc, ok, method, first, sq), w = WorstLast(votes, alloc, ok, method, first, sq);
            if (b < 0 || w < 0 || b == w) break;
            int c = Compare(votes[b], Divisor(method, alloc[b], first), votes[w], Divisor(method, alloc[w] - 1, first), sq);
            if (c <= 0) break;
            alloc[b]++; alloc[w]--;
        }
        ResolveTies(votes, alloc, ok, method, first, sq, tieBreak, seed, names, district, ties);
        return alloc;
    }

    private static int BestNext(ReadOnlySpan<long> votes, int[] alloc, bool[] ok, Method m, (long, long) first, bool sq)
    {
        int best = -1;
        for (int i = 0; i < votes.Length; i++)
        {
            if (!ok[i]) continue;
            if (best < 0 || Compare(votes[i], Divisor(m, alloc[i], first), votes[best], Divisor(m, alloc[best], first), sq) > 0) best = i;
        }
        return best;
    }

    private static int WorstLast(ReadOnlySpan<long> votes, int[] alloc, bool[] ok, Method m, (long, long) first, bool sq)
    {
        int worst = -1;
        for (int i = 0; i < votes.Length; i++)
        {
            if (!ok[i] || alloc[i] == 0) continue;
            if (worst < 0 || Compare(votes[i], Divisor(m, alloc[i] - 1, first), votes[worst], Divisor(m, alloc[worst] - 1, first), sq) < 0) worst = i;
        }
        return worst;
    }

    private static void ResolveTies(ReadOnlySpan<long> votes, int[] alloc, bool[] ok, Method m, (long Num, long Den) first, bool sq,
        TieBreak rule, ulong seed, IReadOnlyList<string>? names, string district, List<Tie>? ties)
    {
        int b = BestNext(votes, alloc, ok, m, first, sq), w = WorstLast(votes, alloc, ok, m, first, sq);
        if (b < 0 || w < 0) return;
        var dw = Divisor(m, alloc[w] - 1, first);
        if (Compare(votes[b], Divisor(m, alloc[b], first), votes[w], dw, sq) != 0) return;
        // The boundary quotient q*: parties whose last awarded quotient equals it hold contested seats;
        // parties whose next quotient equals it contend for them.
        long wv = votes[w];
        var holders = new List<int>(); var contenders = new List<int>();
        for (int i = 0; i < votes.Length; i++)
        {
            if (!ok[i]) continue;
            if (alloc[i] > 0 && Compare(votes[i], Divisor(m, alloc[i] - 1, first), wv, dw, sq) == 0) holders.Add(i);
            if (Compare(votes[i], Divisor(m, alloc[i], first), wv, dw, sq) == 0) contenders.Add(i);
        }
        int contested = holders.Count;
        var tied = holders.Concat(contenders).Distinct().OrderBy(i => i).ToList();
        foreach (var i in holders) alloc[i]--;
        string quotient = sq ? $"{wv}/√{dw.Num}" : dw.Den == 1 ? $"{wv}/{dw.Num}" : $"{wv}·{dw.Den}/{dw.Num}";
        foreach (var i in PickWinners(tied, contested, votes, rule, seed, names, district, ties, quotient)) alloc[i]++;
    }

    /// <summary>
    /// Largest-remainder allocation with a Hare, Droop or Imperiali quota. Remainders are compared
    /// exactly; ties among equal remainders are resolved by <paramref name="tieBreak"/>. If a quota
    /// awards more automatic seats than exist (possible with Imperiali), seats are taken back from
    /// the smallest remainders.
    /// </summary>
    public static int[] LargestRemainder(Method method, ReadOnlySpan<long> votes, int seats, ReadOnlySpan<bool> eligible = default,
        TieBreak tieBreak = TieBreak.MoreVotes, ulong seed = 0, IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null)
    {
        if (method is not (Method.Hare or Method.Droop or Method.ImperialiQuota)) throw new ArgumentOutOfRangeException(nameof(method), method, "not a largest-remainder method.");
        if (seats < 0) throw new ArgumentOutOfRangeException(nameof(seats), seats, "seats must be ≥ 0.");
        int n = votes.Length;
        var alloc = new int[n];
        var ok = new bool[n];
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            if (votes[i] < 0) throw new ArgumentOutOfRangeException(nameof(votes), votes[i], $"votes[{i}] must be ≥ 0.");
            ok[i] = (eligible.IsEmpty || eligible[i]) && votes[i] > 0;
            if (ok[i]) total += votes[i];
        }
        if (seats == 0 || total == 0) return alloc;
        // Quota as a rational qn/qd.
        (long qn, long qd) = method switch
        {
            Method.Hare => (total, seats),
            Method.Droop => (total / (seats + 1) + 1, 1),
            _ => (total, seats + 2),
        };
        // remainder_i = v_i − s_i·Q, scaled by qd to stay integral: r_i = v_i·qd − s_i·qn.
        var rem = new Int128[n];
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!ok[i]) continue;
            long s = (long)((Int128)votes[i] * qd / qn);
            alloc[i] = (int)s; sum += (int)s;
            rem[i] = (Int128)votes[i] * qd - (Int128)s * qn;
        }
        var order = Enumerable.Range(0, n).Where(i => ok[i]).ToList();
        if (sum < seats)
        {
            order.Sort((a, b) => rem[b] != rem[a] ? rem[b].CompareTo(rem[a]) : a.CompareTo(b));
            int left = seats - sum;
            // Tie at the boundary: equal remainders straddling the cut.
            if (left < order.Count && rem[order[left - 1]] == rem[order[left]])
            {
                var r = rem[order[left]];
                var tied = order.Where(i => rem[i] == r).ToList();
                int before = order.TakeWhile(i => rem[i] > r).Count();
                int contested = left - before;
                var resolved = PickWinners(tied, contested, votes, tieBreak, seed, names, district, ties, "remainder " + r);
                foreach (var i in order.Take(before)) alloc[i]++;
                foreach (var i in resolved) alloc[i]++;
            }
            else foreach (var i in order.Take(left)) alloc[i]++;
        }
        else if (sum > seats)
        {
            order.Sort((a, b) => rem[a] != rem[b] ? rem[a].CompareTo(rem[b]) : b.CompareTo(a));
            int extra = sum - seats;
            foreach (var i in order.Where(i => alloc[i] > 0).Take(extra)) alloc[i]--;
        }
        return alloc;
    }

    /// <summary>Resolves a tie of <paramref name="tied"/> parties for <paramref name="contested"/> seats by the rule, records it, returns the winners.</summary>
    private static List<int> PickWinners(List<int> tied, int contested, ReadOnlySpan<long> votes, TieBreak rule, ulong seed,
        IReadOnlyList<string>? names, string district, List<Tie>? ties, string quotient)
    {
        string Name(int i) => names is not null && i < names.Count ? names[i] : $"party {i}";
        if (rule == TieBreak.Error)
            throw new TieException(new Tie(district, tied.Select(Name).ToArray(), contested, quotient, [], "error"));
        List<int> order;
        if (rule == TieBreak.MoreVotes)
        {
            var v = votes.ToArray();
            order = tied.OrderByDescending(i => v[i]).ThenBy(i => i).ToList();
        }
        else
        {
            var rng = new RandomStream(seed, StreamIds.TieBreak, (ulong)tied.Count);
            order = new List<int>(tied);
            for (int i = order.Count - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        }
        var winners = order.Take(contested).ToList();
        ties?.Add(new Tie(district, tied.Select(Name).ToArray(), contested, quotient, winners.Select(Name).ToArray(),
            rule == TieBreak.MoreVotes ? "more-votes" : "lot"));
        return winners;
    }
}
