using System.Numerics;
using System.Runtime.CompilerServices;
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
/// resolved by an explicit <see cref="TieBreak"/>. An allocation of S seats among P parties takes
/// O(P + S log P) time (highest averages) or O(P log P) (largest remainder).
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

    /// <summary>
    /// A first divisor given as a decimal (e.g. 1.4) as an exact rational (denominator at most 10^6).
    /// It must be in (0, 3): above 3, the second divisor, a party's second quotient would beat its first.
    /// </summary>
    public static (long Num, long Den) Rational(double value)
    {
        if (!(value > 0) || !(value < ElectionLimits.MaxFirstDivisor))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"firstDivisor must be in (0, {ElectionLimits.MaxFirstDivisor}) so that the divisors increase; got {value}.");
        long den = 1;
        while (Math.Abs(value * den - Math.Round(value * den)) > 1e-9 && den < 1_000_000) den *= 10;
        return (Math.Max(1, (long)Math.Round(value * den)), den);
    }

    private static int Bits(long x) => 64 - BitOperations.LeadingZeroCount((ulong)x);

    // Compare v1/d1 with v2/d2 where d = num/den (for HH: compare v1²/d1 with v2²/d2, d the squared divisor).
    // Returns sign(v1/d1 − v2/d2); a zero divisor means +∞ (HH's first seat). Votes are ≥ 0, nums and dens ≥ 0.
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
            if (Bits(v1) + Bits(d1.Den) + Bits(d2.Num) <= 126 && Bits(v2) + Bits(d2.Den) + Bits(d1.Num) <= 126)
                return ((Int128)v1 * d1.Den * d2.Num).CompareTo((Int128)v2 * d2.Den * d1.Num);
            return ((BigInteger)v1 * d1.Den * d2.Num).CompareTo((BigInteger)v2 * d2.Den * d1.Num);
        }
        // v1²·den1/num1 vs v2²·den2/num2  ⇔  v1²·den1·num2 vs v2²·den2·num1
        if (2 * Bits(v1) + Bits(d1.Den) + Bits(d2.Num) <= 126 && 2 * Bits(v2) + Bits(d2.Den) + Bits(d1.Num) <= 126)
            return ((Int128)v1 * v1 * d1.Den * d2.Num).CompareTo((Int128)v2 * v2 * d2.Den * d1.Num);
        return ((BigInteger)v1 * v1 * d1.Den * d2.Num).CompareTo((BigInteger)v2 * v2 * d2.Den * d1.Num);
    }

    /// <summary>Orders parties by a quotient v/d (a (votes, divisor) key) exactly; descending when <c>max</c>.</summary>
    private sealed class QuotientOrder(bool squared, bool max) : IComparer<(long V, long Num, long Den)>
    {
        public int Compare((long V, long Num, long Den) a, (long V, long Num, long Den) b)
        {
            int c = Apportion.Compare(a.V, (a.Num, a.Den), b.V, (b.Num, b.Den), squared);
            return max ? -c : c;
        }
    }

    // Shape of the divisors d_k = a·k + b of the linear methods (modified Sainte-Laguë: k ≥ 1 only).
    private static (double A, double B) Linear(Method m) => m switch
    {
        Method.DHondt => (1, 1),
        Method.Imperiali => (1, 2),
        Method.Danish => (3, 1),
        _ => (2, 1),
    };

    // Floating-point estimate of #{k ≥ 0 : d_k < x}, the seats a party with v votes holds when every quotient
    // above λ = v/x is awarded (x = v/λ; for HH d_k is the divisor itself, not its square). Capped at cap.
    private static int EstimateSeats(Method m, double x, double first, int cap)
    {
        double c;
        if (m == Method.HuntingtonHill) c = x > 0 ? Math.Max(1, Math.Ceiling((Math.Sqrt(1 + 4 * x * x) - 1) / 2)) : 0;
        else if (m == Method.ModifiedSainteLague) c = (x > first ? 1 : 0) + Math.Max(0, Math.Ceiling((x - 1) / 2) - 1);
        else { var (a, b) = Linear(m); c = Math.Max(0, Math.Ceiling((x - b) / a)); }
        return c >= cap ? cap : (int)c;
    }

    /// <summary>
    /// Highest-averages allocation of <paramref name="seats"/> among parties with <paramref name="votes"/>.
    /// Parties with <paramref name="eligible"/>[i] false get no seats. Returns seats per party; ties are
    /// added to <paramref name="ties"/> after resolution by <paramref name="tieBreak"/>.
    /// </summary>
    /// <remarks>
    /// The seats go to the S largest quotients v_i/d_k. A floating-point search finds a threshold λ near the
    /// S-th largest quotient; it is made an exact rational t, and each party's count of quotients above t is
    /// corrected exactly (a step or two at most). Those counts are a valid partial or over-full allocation, and
    /// a priority queue ordered by exact quotients adds (or takes back) the remaining seats one at a time:
    /// O(P + S log P) for P parties and S seats. Limits: at most <see cref="ElectionLimits.MaxSeats"/> seats,
    /// votes at most <see cref="ElectionLimits.MaxVoteCount"/> each.
    /// <para>A tie broken by lot (<see cref="TieBreak.Lot"/>) draws from <paramref name="seed"/>; null means <see cref="Workbench.Random.Seeds.Default"/>.</para>
    /// </remarks>
    public static int[] Divisor(Method method, ReadOnlySpan<long> votes, int seats, (long Num, long Den)? firstDivisor = null,
        ReadOnlySpan<bool> eligible = default, TieBreak tieBreak = TieBreak.MoreVotes, int? seed = null,
        IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null) =>
        Divisor(method, votes, seats, firstDivisor, eligible, tieBreak, Workbench.Random.Seeds.Resolve(seed), names, district, ties);

    internal static int[] Divisor(Method method, ReadOnlySpan<long> votes, int seats, (long Num, long Den)? firstDivisor,
        ReadOnlySpan<bool> eligible, TieBreak tieBreak, ulong seed,
        IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null)
    {
        if (!IsDivisor(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "not a divisor method.");
        if (seats < 0 || seats > ElectionLimits.MaxSeats) throw new ArgumentOutOfRangeException(nameof(seats), seats, $"seats must be in [0, {ElectionLimits.MaxSeats:N0}].");
        int n = votes.Length;
        if (!eligible.IsEmpty && eligible.Length != n) throw new ArgumentException($"eligible has {eligible.Length} entries, votes {n}.", nameof(eligible));
        var first = firstDivisor ?? (method == Method.ModifiedSainteLague ? (7, 5) : (1, 1));
        if (method == Method.ModifiedSainteLague && (first.Num < 1 || first.Den < 1 || first.Den > 1_000_000 || first.Num >= 3 * first.Den))
            throw new ArgumentOutOfRangeException(nameof(firstDivisor), first, $"the first divisor must be a fraction num/den in (0, {ElectionLimits.MaxFirstDivisor}) with den ≤ 1,000,000.");
        bool sq = method == Method.HuntingtonHill;
        var alloc = new int[n];
        var ok = new bool[n];
        int contenders = 0;
        long vmax = 0; double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (votes[i] < 0 || votes[i] > ElectionLimits.MaxVoteCount)
                throw new ArgumentOutOfRangeException(nameof(votes), votes[i], $"votes[{i}] must be in [0, {ElectionLimits.MaxVoteCount:N0}].");
            ok[i] = (eligible.IsEmpty || eligible[i]) && votes[i] > 0;
            if (ok[i]) { total += votes[i]; contenders++; vmax = Math.Max(vmax, votes[i]); }
        }
        if (seats == 0 || contenders == 0) return alloc;

        if (sq && seats <= contenders)
        {
            // Huntington–Hill gives every party with votes a first seat (an infinite quotient): with no more seats
            // than parties, all first quotients tie for them.
            for (int i = 0; i < n; i++) if (ok[i]) alloc[i] = 1;
            if (contenders > seats) Fill(votes, alloc, ok, method, first, sq, contenders - seats, add: false);
            ResolveTies(votes, alloc, ok, method, first, sq, tieBreak, seed, names, district, ties);
            return alloc;
        }
        double f = (double)first.Num / first.Den;
        // 1. A threshold λ whose estimated seat count F(λ) = Σ seats(v_i/λ) is within a slack of S. The first
        // guess accounts for each method's rounding (D'Hondt rounds down, about half a seat per party, ...);
        // a geometric bisection refines it when parties are many or the guess is off.
        var (la, lb) = method == Method.HuntingtonHill ? (1.0, 0.5) : Linear(method);
        double denom = la * seats + contenders * (lb - la / 2);
        double lambda = denom > 0.25 * la * seats ? total / denom : total / (la * seats);
        long slack = Math.Max(2, Math.Min(contenders, seats) / 2);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static long F(ReadOnlySpan<long> votes, bool[] ok, Method method, double l, double f, int seats)
        {
            long s = 0;
            for (int i = 0; i < votes.Length; i++) if (ok[i]) s += EstimateSeats(method, votes[i] / l, f, seats);
            return s;
        }
        double lo = 0, hi = double.PositiveInfinity;
        long fl = F(votes, ok, method, lambda, f, seats);
        for (int iter = 0; iter < 200 && Math.Abs(fl - seats) > slack; iter++)
        {
            if (fl > seats) lo = lambda; else hi = lambda;
            double next = double.IsPositiveInfinity(hi) ? lambda * 4 : lo == 0 ? lambda / 4 : Math.Sqrt(lo * hi);
            if (next == lo || next == hi) break;
            lambda = next; fl = F(votes, ok, method, lambda, f, seats);
        }
        // Keep to the side with at most S + slack estimated seats, so the queue below never takes back more than that.
        if (fl > seats + slack && !double.IsPositiveInfinity(hi)) lambda = hi;

        // 2. The exact threshold t = vmax/r with r = vmax/λ rounded to a binary fraction (r² for HH), and each
        // party's exact count of quotients above t (capped at S, which no party can exceed).
        const long Den = 1L << 16;
        double r = vmax / lambda; if (sq) r *= r;
        long tNum = (long)Math.Clamp(Math.Round(r * Den), 1, 1e18);
        (long, long) tDiv = (tNum, Den);
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!ok[i]) continue;
            int c = EstimateSeats(method, votes[i] / lambda, f, seats);
            while (c > 0 && Compare(votes[i], Divisor(method, c - 1, first), vmax, tDiv, sq) <= 0) c--;
            while (c < seats && Compare(votes[i], Divisor(method, c, first), vmax, tDiv, sq) > 0) c++;
            alloc[i] = c; sum += c;
        }

        // 3. The counts hold every quotient above t. With fewer than S seats, the next largest quotients are added;
        // with more, the smallest awarded ones are taken back. Either way the result is S largest quotients.
        if (sum < seats) Fill(votes, alloc, ok, method, first, sq, (int)(seats - sum), add: true);
        else if (sum > seats) Fill(votes, alloc, ok, method, first, sq, (int)Math.Min(sum - seats, int.MaxValue), add: false);
        ResolveTies(votes, alloc, ok, method, first, sq, tieBreak, seed, names, district, ties);
        return alloc;
    }

    // Adds (or takes back) `count` seats one at a time, each to the party with the largest next (smallest last) quotient.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fill(ReadOnlySpan<long> votes, int[] alloc, bool[] ok, Method m, (long, long) first, bool sq, int count, bool add)
    {
        int n = votes.Length;
        if ((long)count * n <= 4096)
        {
            // Few steps among few parties: a scan beats building a queue.
            for (int s = 0; s < count; s++)
            {
                if (add) alloc[BestNext(votes, alloc, ok, m, first, sq)]++;
                else alloc[WorstLast(votes, alloc, ok, m, first, sq)]--;
            }
            return;
        }
        var queue = new PriorityQueue<int, (long V, long Num, long Den)>(new QuotientOrder(sq, max: add));
        // The key of party i: its next quotient (adding) or its last awarded one (taking back).
        static (long, long, long) Key(long v, Method m, int k, (long, long) first) { var d = Divisor(m, k, first); return (v, d.Num, d.Den); }
        int shift = add ? 0 : -1;
        var items = new List<(int, (long, long, long))>();
        for (int i = 0; i < n; i++) if (ok[i] && (add || alloc[i] > 0)) items.Add((i, Key(votes[i], m, alloc[i] + shift, first)));
        queue.EnqueueRange(items);
        for (int s = 0; s < count; s++)
        {
            int i = queue.Peek();
            alloc[i] += add ? 1 : -1;
            if (add || alloc[i] > 0) queue.DequeueEnqueue(i, Key(votes[i], m, alloc[i] + shift, first));
            else queue.Dequeue();
        }
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

    // With S largest quotients awarded: if the smallest awarded quotient q* equals the largest unawarded one, the seats
    // at q* are contested. Every party holding a seat at q* gives it back, and the tie-break awards them among every
    // party with a quotient equal to q* (each party has at most one, as its quotients strictly decrease).
    private static void ResolveTies(ReadOnlySpan<long> votes, int[] alloc, bool[] ok, Method m, (long Num, long Den) first, bool sq,
        TieBreak rule, ulong seed, IReadOnlyList<string>? names, string district, List<Tie>? ties)
    {
        int b = BestNext(votes, alloc, ok, m, first, sq), w = WorstLast(votes, alloc, ok, m, first, sq);
        if (b < 0 || w < 0) return;
        var dw = Divisor(m, alloc[w] - 1, first);
        if (Compare(votes[b], Divisor(m, alloc[b], first), votes[w], dw, sq) != 0) return;
        long wv = votes[w];
        var holders = new List<int>(); var tied = new List<int>();
        for (int i = 0; i < votes.Length; i++)
        {
            if (!ok[i]) continue;
            bool holds = alloc[i] > 0 && Compare(votes[i], Divisor(m, alloc[i] - 1, first), wv, dw, sq) == 0;
            if (holds) holders.Add(i);
            if (holds || Compare(votes[i], Divisor(m, alloc[i], first), wv, dw, sq) == 0) tied.Add(i);
        }
        int contested = holders.Count;
        foreach (var i in holders) alloc[i]--;
        // The quotient as the first tied party (in input order) reaches it: its next quotient, now that holders gave theirs back.
        long qv = votes[tied[0]];
        var qd = Divisor(m, alloc[tied[0]], first);
        string quotient = sq ? $"{qv}/√{qd.Num}" : qd.Den == 1 ? $"{qv}/{qd.Num}" : $"{qv}·{qd.Den}/{qd.Num}";
        foreach (var i in PickWinners(tied, contested, votes, rule, seed, names, district, ties, quotient)) alloc[i]++;
    }

    /// <summary>
    /// Largest-remainder allocation with a Hare, Droop or Imperiali quota. Remainders are compared
    /// exactly; ties among equal remainders are resolved by <paramref name="tieBreak"/>. If a quota
    /// awards more automatic seats than exist (possible with Imperiali), seats are taken back from
    /// the smallest remainders.
    /// </summary>
    /// <remarks>A tie broken by lot (<see cref="TieBreak.Lot"/>) draws from <paramref name="seed"/>; null means <see cref="Workbench.Random.Seeds.Default"/>.</remarks>
    public static int[] LargestRemainder(Method method, ReadOnlySpan<long> votes, int seats, ReadOnlySpan<bool> eligible = default,
        TieBreak tieBreak = TieBreak.MoreVotes, int? seed = null, IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null) =>
        LargestRemainder(method, votes, seats, eligible, tieBreak, Workbench.Random.Seeds.Resolve(seed), names, district, ties);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] LargestRemainder(Method method, ReadOnlySpan<long> votes, int seats, ReadOnlySpan<bool> eligible,
        TieBreak tieBreak, ulong seed, IReadOnlyList<string>? names = null, string district = "", List<Tie>? ties = null)
    {
        if (method is not (Method.Hare or Method.Droop or Method.ImperialiQuota)) throw new ArgumentOutOfRangeException(nameof(method), method, "not a largest-remainder method.");
        if (seats < 0 || seats > ElectionLimits.MaxSeats) throw new ArgumentOutOfRangeException(nameof(seats), seats, $"seats must be in [0, {ElectionLimits.MaxSeats:N0}].");
        int n = votes.Length;
        if (!eligible.IsEmpty && eligible.Length != n) throw new ArgumentException($"eligible has {eligible.Length} entries, votes {n}.", nameof(eligible));
        var alloc = new int[n];
        var ok = new bool[n];
        Int128 total = 0; // up to 10^6 parties of 10^18 votes: beyond 64 bits
        for (int i = 0; i < n; i++)
        {
            if (votes[i] < 0 || votes[i] > ElectionLimits.MaxVoteCount)
                throw new ArgumentOutOfRangeException(nameof(votes), votes[i], $"votes[{i}] must be in [0, {ElectionLimits.MaxVoteCount:N0}].");
            ok[i] = (eligible.IsEmpty || eligible[i]) && votes[i] > 0;
            if (ok[i]) total += votes[i];
        }
        if (seats == 0 || total == 0) return alloc;
        // Quota as a rational qn/qd (qn up to 10^24, qd ≤ 10^6 + 2; every product below stays under 2^100).
        (Int128 qn, Int128 qd) = method switch
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
            long s = (long)(votes[i] * qd / qn);
            alloc[i] = (int)s; sum += (int)s;
            rem[i] = votes[i] * qd - s * qn;
        }
        if (sum < seats)
        {
            // Remainders in descending order, input order among equals (a total order, so one sort of P keys).
            var order = new (Int128 Rem, int Index)[n];
            int m = 0;
            for (int i = 0; i < n; i++) if (ok[i]) order[m++] = (rem[i], i);
            Array.Sort(order, 0, m, RemainderOrder.Instance);
            int left = seats - sum;
            if (left > m)
                throw new ArgumentException($"the {method} quota leaves {left} seat(s) for {m} remainder(s){(district.Length > 0 ? $" in '{district}'" : "")}: "
                    + "largest remainder needs fewer seats or more votes (at least one vote per seat left after the quota).");
            // Tie at the boundary: equal remainders straddling the cut.
            if (left < m && order[left - 1].Rem == order[left].Rem)
            {
                var r = order[left].Rem;
                int before = left - 1;
                while (before > 0 && order[before - 1].Rem == r) before--;
                int end = left;
                while (end < m && order[end].Rem == r) end++;
                var tied = new List<int>(end - before);
                for (int k = before; k < end; k++) tied.Add(order[k].Index);
                int contested = left - before;
                var resolved = PickWinners(tied, contested, votes, tieBreak, seed, names, district, ties, "remainder " + r);
                for (int k = 0; k < before; k++) alloc[order[k].Index]++;
                foreach (var i in resolved) alloc[i]++;
            }
            else for (int k = 0; k < left; k++) alloc[order[k].Index]++;
        }
        else if (sum > seats)
        {
            var order = Enumerable.Range(0, n).Where(i => ok[i]).ToList();
            order.Sort((a, b) => rem[a] != rem[b] ? rem[a].CompareTo(rem[b]) : b.CompareTo(a));
            int extra = sum - seats;
            foreach (var i in order.Where(i => alloc[i] > 0).Take(extra)) alloc[i]--;
        }
        return alloc;
    }

    private sealed class RemainderOrder : IComparer<(Int128 Rem, int Index)>
    {
        public static readonly RemainderOrder Instance = new();
        public int Compare((Int128 Rem, int Index) a, (Int128 Rem, int Index) b) => a.Rem != b.Rem ? b.Rem.CompareTo(a.Rem) : a.Index.CompareTo(b.Index);
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
