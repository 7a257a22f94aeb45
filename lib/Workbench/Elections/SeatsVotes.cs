using Workbench.Random;

namespace Workbench.Elections;

/// <summary>One point of a seats–votes curve: the swing applied, the resulting two-party vote share of party A and its two-party seat share.</summary>
/// <param name="Swing">Mean swing from B to A, in share of each constituency's votes (0.01 = one point).</param>
/// <param name="VoteShare">A's share of the A + B vote nationally, after the swing.</param>
/// <param name="SeatShare">A's share of the seats won by A or B (plurality in each constituency, all parties counted).</param>
/// <param name="SeatsA">Constituencies A wins.</param>
/// <param name="SeatsB">Constituencies B wins.</param>
public sealed record SeatsVotesPoint(double Swing, double VoteShare, double SeatShare, int SeatsA, int SeatsB);

/// <summary>
/// A fitted seats–votes curve logit(S) = λ + ρ·logit(V) (Tufte 1973, APSR 67(2); King &amp; Browning 1987, APSR 81(4)):
/// ρ is the responsiveness (the cube law's exponent: 3 in Kendall &amp; Stuart 1950, BJS 1(3)) and λ the partisan bias on
/// the log-odds scale (0 for a symmetric system; λ &gt; 0 favours A). Least squares on the log-odds of the points with
/// shares strictly between 0 and 1.
/// </summary>
/// <param name="Responsiveness">ρ.</param>
/// <param name="ResponsivenessStdError">Standard error of ρ (ordinary least squares; the points of one curve are not independent draws, so read it as a measure of fit).</param>
/// <param name="Bias">λ (log-odds).</param>
/// <param name="BiasStdError">Standard error of λ (as for ρ).</param>
/// <param name="SeatShareAtEvenVote">A's seat share at a 50–50 vote: logistic(λ); 0.5 without bias.</param>
/// <param name="RSquared">Share of the variance of logit(S) explained.</param>
/// <param name="Points">Points used (those with 0 &lt; V, S &lt; 1).</param>
public sealed record SeatsVotesFit(double Responsiveness, double ResponsivenessStdError, double Bias, double BiasStdError,
    double SeatShareAtEvenVote, double RSquared, int Points);

/// <summary>
/// Seats–votes curves of a plurality (FPTP) system from constituency results: shift votes between two parties by a
/// uniform swing (the same in every constituency, Butler's assumption) or a non-uniform one (each constituency's swing
/// drawn around the mean with a standard deviation), recount every constituency and record the two-party vote and seat
/// shares; then fit the curve. Over a range of swings this traces the curve the cube law describes, instead of one point.
/// </summary>
public static class SeatsVotes
{
    /// <summary>Most constituencies, parties and swing points accepted (checked up front).</summary>
    public const int MaxConstituencies = 100_000, MaxParties = 1_000, MaxPoints = 10_000;

    /// <summary>
    /// The curve of party <paramref name="a"/> against party <paramref name="b"/> for each mean swing in
    /// <paramref name="swings"/> (share points moved from B to A in each constituency, e.g. −0.1 … 0.1). With
    /// <paramref name="swingSd"/> &gt; 0 each constituency's swing is the mean plus a normal deviate of that standard
    /// deviation, drawn afresh for every point (seeded by <paramref name="seed"/>, so the curve is reproducible). A swing
    /// never moves more votes than the losing party has. Constituency winners are decided by plurality among all parties;
    /// an exact tie counts half a seat to each tied party of the pair.
    /// </summary>
    public static IReadOnlyList<SeatsVotesPoint> Curve(IReadOnlyList<long[]> constituencyVotes, int a, int b, IReadOnlyList<double> swings,
        double swingSd = 0, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(constituencyVotes); ArgumentNullException.ThrowIfNull(swings);
        int C = constituencyVotes.Count;
        if (C == 0 || C > MaxConstituencies) throw new ArgumentException($"constituencyVotes must have 1..{MaxConstituencies} constituencies; got {C}.", nameof(constituencyVotes));
        int P = constituencyVotes[0].Length;
        if (P < 2 || P > MaxParties) throw new ArgumentException($"each constituency needs 2..{MaxParties} parties; got {P}.", nameof(constituencyVotes));
        for (int k = 0; k < C; k++)
        {
            if (constituencyVotes[k] is null || constituencyVotes[k].Length != P)
                throw new ArgumentException($"constituency {k} has {constituencyVotes[k]?.Length ?? 0} parties; every constituency needs {P}.", nameof(constituencyVotes));
            if (constituencyVotes[k].Any(v => v < 0)) throw new ArgumentException($"constituency {k} has negative votes.", nameof(constituencyVotes));
        }
        if ((uint)a >= P || (uint)b >= P || a == b) throw new ArgumentException($"a and b must be two different parties in 0..{P - 1}; got {a} and {b}.");
        if (swings.Count == 0 || swings.Count > MaxPoints) throw new ArgumentException($"swings must have 1..{MaxPoints} values; got {swings.Count}.", nameof(swings));
        foreach (var s in swings) Parameters.Require(nameof(swings), s, -1, 1);
        Parameters.Require(nameof(swingSd), swingSd, 0, 1);

        var points = new SeatsVotesPoint[swings.Count];
        var shares = new double[P];
        for (int t = 0; t < swings.Count; t++)
        {
            var rng = RandomStream.Create(seed, StreamIds.SeatsVotesSwing, (ulong)t);
            double votesA = 0, votesB = 0, seatsA = 0, seatsB = 0;
            for (int k = 0; k < C; k++)
            {
                var row = constituencyVotes[k];
                double total = 0;
                for (int j = 0; j < P; j++) total += row[j];
                if (total == 0) continue;
                for (int j = 0; j < P; j++) shares[j] = row[j] / total;
                double swing = swings[t] + (swingSd > 0 ? swingSd * rng.Normal() : 0);
                double moved = swing >= 0 ? Math.Min(swing, shares[b]) : Math.Max(swing, -shares[a]);
                shares[a] += moved; shares[b] -= moved;
                votesA += shares[a] * total; votesB += shares[b] * total;
                double best = double.NegativeInfinity;
                for (int j = 0; j < P; j++) best = Math.Max(best, shares[j]);
                int winners = 0;
                for (int j = 0; j < P; j++) if (shares[j] == best) winners++;
                if (shares[a] == best) seatsA += 1.0 / winners;
                if (shares[b] == best) seatsB += 1.0 / winners;
            }
            double v = votesA + votesB > 0 ? votesA / (votesA + votesB) : 0.5;
            double s = seatsA + seatsB > 0 ? seatsA / (seatsA + seatsB) : 0.5;
            points[t] = new SeatsVotesPoint(swings[t], v, s, (int)Math.Floor(seatsA), (int)Math.Floor(seatsB));
        }
        return points;
    }

    /// <summary>Fits logit(S) = λ + ρ·logit(V) by least squares to <paramref name="points"/> (vote share, seat share); needs three points strictly inside (0, 1) with different vote shares.</summary>
    public static SeatsVotesFit Fit(IReadOnlyList<(double VoteShare, double SeatShare)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var xs = new List<double>(); var ys = new List<double>();
        foreach (var (v, s) in points)
        {
            if (!(v > 0 && v < 1 && s > 0 && s < 1)) continue;
            xs.Add(Math.Log(v / (1 - v))); ys.Add(Math.Log(s / (1 - s)));
        }
        int n = xs.Count;
        if (n < 3) throw new ArgumentException($"needs at least three points with vote and seat shares strictly between 0 and 1; got {n}.", nameof(points));
        double mx = xs.Average(), my = ys.Average(), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) { sxx += (xs[i] - mx) * (xs[i] - mx); sxy += (xs[i] - mx) * (ys[i] - my); syy += (ys[i] - my) * (ys[i] - my); }
        if (sxx == 0) throw new ArgumentException("the points' vote shares are all equal: the curve's slope is not identified.", nameof(points));
        double rho = sxy / sxx, lambda = my - rho * mx;
        double ssr = 0;
        for (int i = 0; i < n; i++) ssr += Math.Pow(ys[i] - lambda - rho * xs[i], 2);
        double sigma2 = n > 2 ? ssr / (n - 2) : 0;
        double seRho = Math.Sqrt(sigma2 / sxx), seLambda = Math.Sqrt(sigma2 * (1.0 / n + mx * mx / sxx));
        return new SeatsVotesFit(rho, seRho, lambda, seLambda, 1 / (1 + Math.Exp(-lambda)), syy > 0 ? 1 - ssr / syy : 1, n);
    }

    /// <summary>Fits the curve to <see cref="SeatsVotesPoint"/>s (their vote and seat shares).</summary>
    public static SeatsVotesFit Fit(IReadOnlyList<SeatsVotesPoint> points) =>
        Fit((points ?? throw new ArgumentNullException(nameof(points))).Select(p => (p.VoteShare, p.SeatShare)).ToArray());

    /// <summary>A's seat share predicted by a fitted curve at two-party vote share <paramref name="voteShare"/>.</summary>
    public static double SeatShare(SeatsVotesFit fit, double voteShare)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Parameters.Require(nameof(voteShare), voteShare, 0, 1);
        if (voteShare == 0 || voteShare == 1) return voteShare;
        double z = fit.Bias + fit.Responsiveness * Math.Log(voteShare / (1 - voteShare));
        return 1 / (1 + Math.Exp(-z));
    }
}
