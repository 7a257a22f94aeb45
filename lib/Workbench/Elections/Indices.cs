namespace Workbench.Elections;

/// <summary>How the efficiency gap counts a district winner's surplus (wasted) votes.</summary>
public enum SurplusConvention
{
    /// <summary>Votes above 50% of the district's two-party votes (Stephanopoulos &amp; McGhee 2015; the default).</summary>
    HalfOfVotes,
    /// <summary>Votes above ⌊total/2⌋ + 1, the smallest winning majority.</summary>
    MajorityPlusOne,
}

/// <summary>Disproportionality and fragmentation indices (MODEL.md §7). Shares are computed from the counts given.</summary>
public static class Indices
{
    private static double[] Shares(IReadOnlyList<double> x)
    {
        double t = x.Sum();
        return x.Select(v => t > 0 ? v / t : 0).ToArray();
    }

    /// <summary>Gallagher's least-squares index on the 0–100 scale: √(½ Σ (v% − s%)²) (Gallagher 1991, Electoral Studies 10(1)).</summary>
    public static double Gallagher(IReadOnlyList<double> votes, IReadOnlyList<double> seats)
    {
        Check(votes, seats);
        var v = Shares(votes); var s = Shares(seats);
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Pow(100 * (v[i] - s[i]), 2);
        return Math.Sqrt(sum / 2);
    }

    /// <summary>Loosemore–Hanby index on the 0–100 scale: ½ Σ |v% − s%| (Loosemore &amp; Hanby 1971, BJPolS 1(4)).</summary>
    public static double LoosemoreHanby(IReadOnlyList<double> votes, IReadOnlyList<double> seats)
    {
        Check(votes, seats);
        var v = Shares(votes); var s = Shares(seats);
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Abs(100 * (v[i] - s[i]));
        return sum / 2;
    }

    /// <summary>Effective number of parties 1/Σp² (Laakso &amp; Taagepera 1979, Comparative Political Studies 12(1)).</summary>
    public static double EffectiveNumberOfParties(IReadOnlyList<double> counts)
    {
        var p = Shares(counts);
        double h = p.Sum(x => x * x);
        return h > 0 ? 1 / h : 0;
    }

    /// <summary>
    /// Efficiency gap of a two-party election (Stephanopoulos &amp; McGhee 2015, "Partisan Gerrymandering and the
    /// Efficiency Gap", University of Chicago Law Review 82(2): 831–900): (wasted votes of party A − wasted votes of
    /// party B) / total votes. In each district the loser's votes are all wasted, and so are the winner's votes beyond
    /// those it needed to win. By default, following the paper, the winner needed 50% of the district's two-party
    /// votes, so its surplus is votes − total/2 (half a vote when the total is odd); <paramref name="surplus"/>
    /// <see cref="SurplusConvention.MajorityPlusOne"/> counts the surplus beyond ⌊total/2⌋ + 1 instead, which moves the
    /// result by up to one vote per district won (noticeable only in small districts). In an exactly tied district each
    /// party wastes half its votes. Positive values mean party A wasted more (the plan favours B).
    /// </summary>
    public static double EfficiencyGap(IReadOnlyList<(long A, long B)> districts, SurplusConvention surplus = SurplusConvention.HalfOfVotes)
    {
        ArgumentNullException.ThrowIfNull(districts);
        if (districts.Count == 0) throw new ArgumentException("needs at least one district.", nameof(districts));
        if (surplus is not (SurplusConvention.HalfOfVotes or SurplusConvention.MajorityPlusOne)) throw new ArgumentOutOfRangeException(nameof(surplus), surplus, "unknown convention.");
        double wa = 0, wb = 0, total = 0;
        foreach (var (a, b) in districts)
        {
            if (a < 0 || b < 0) throw new ArgumentOutOfRangeException(nameof(districts), "votes must be ≥ 0.");
            double t = (double)a + b;
            double need = surplus == SurplusConvention.HalfOfVotes ? t / 2 : Math.Floor(t / 2) + 1;
            total += t;
            if (a > b) { wa += a - need; wb += b; }
            else if (b > a) { wb += b - need; wa += a; }
            else { wa += a / 2.0; wb += b / 2.0; }
        }
        return total > 0 ? (wa - wb) / total : 0;
    }

    /// <summary>Wasted votes per party in a plurality district: all votes of losers, surplus over the runner-up + 1 for the winner.</summary>
    public static long[] WastedVotes(IReadOnlyList<long> votes)
    {
        var w = new long[votes.Count];
        if (votes.Count == 0) return w;
        int win = 0;
        for (int i = 1; i < votes.Count; i++) if (votes[i] > votes[win]) win = i;
        long second = votes.Where((_, i) => i != win).DefaultIfEmpty(0).Max();
        for (int i = 0; i < votes.Count; i++) w[i] = i == win ? votes[i] - second - 1 : votes[i];
        if (w[win] < 0) w[win] = 0;
        return w;
    }

    /// <summary>
    /// Fits the exponent k of the generalised cube law S/(1−S) = (V/(1−V))^k by least squares on
    /// the log-odds (Kendall &amp; Stuart 1950, British Journal of Sociology 1(3): k = 3 for Britain).
    /// Points with a share of 0 or 1 are skipped. Returns k and R² — uncentred, as for any fit through the origin, so it
    /// is high whenever the points lie far from 50–50 and says nothing about the slope. With points clustered at one vote
    /// share (separate simulated elections calibrated to the same result) k is in effect one point's ratio of log-odds with
    /// any bias folded in: fit a seats–votes curve over a range of vote shares instead (<see cref="SeatsVotes"/>).
    /// </summary>
    public static (double K, double RSquared, int Points) CubeLawFit(IReadOnlyList<(double VoteShare, double SeatShare)> points)
    {
        var xs = new List<double>(); var ys = new List<double>();
        foreach (var (v, s) in points)
        {
            if (v <= 0 || v >= 1 || s <= 0 || s >= 1) continue;
            xs.Add(Math.Log(v / (1 - v))); ys.Add(Math.Log(s / (1 - s)));
        }
        if (xs.Count < 2) throw new ArgumentException("needs at least two points with shares strictly between 0 and 1.", nameof(points));
        // Regression through the origin (the cube law has no bias term for a symmetric system).
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < xs.Count; i++) { sxy += xs[i] * ys[i]; sxx += xs[i] * xs[i]; syy += ys[i] * ys[i]; }
        double k = sxy / sxx;
        double ssr = 0;
        for (int i = 0; i < xs.Count; i++) ssr += Math.Pow(ys[i] - k * xs[i], 2);
        return (k, syy > 0 ? 1 - ssr / syy : 1, xs.Count);
    }

    /// <summary>The seat share predicted by the cube law (or exponent k) for a two-party vote share.</summary>
    public static double CubeLawSeatShare(double voteShare, double k = 3)
    {
        Parameters.Require(nameof(voteShare), voteShare, 0, 1);
        double r = Math.Pow(voteShare / (1 - voteShare), k);
        return double.IsInfinity(r) ? 1 : r / (1 + r);
    }

    /// <summary>
    /// The smallest number of votes that would change a plurality district's winner: voters
    /// switching from the winner to the runner-up, ⌊(w − r)/2⌋ + 1 (or 1 extra vote to break an exact tie).
    /// </summary>
    public static long VotesToFlip(IReadOnlyList<long> votes)
    {
        if (votes.Count < 2) return long.MaxValue;
        var sorted = votes.OrderByDescending(v => v).ToArray();
        long gap = sorted[0] - sorted[1];
        return gap / 2 + 1;
    }

    /// <summary>Margin of a plurality district: (winner − runner-up) / total votes.</summary>
    public static double Margin(IReadOnlyList<long> votes)
    {
        long t = votes.Sum();
        if (votes.Count < 2 || t == 0) return 1;
        var sorted = votes.OrderByDescending(v => v).ToArray();
        return (double)(sorted[0] - sorted[1]) / t;
    }

    private static void Check(IReadOnlyList<double> votes, IReadOnlyList<double> seats)
    {
        ArgumentNullException.ThrowIfNull(votes); ArgumentNullException.ThrowIfNull(seats);
        if (votes.Count != seats.Count) throw new ArgumentException($"votes has {votes.Count} parties, seats {seats.Count}.", nameof(seats));
    }
}
