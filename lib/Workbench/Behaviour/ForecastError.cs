using Workbench.Random;

namespace Workbench.Behaviour;

/// <summary>
/// How wrong a campaign's forecast is (scenario field <c>forecast</c>; docs/campaigns.md, "Forecast error"). Campaigns plan
/// from their own poll-based estimates of every constituency; real campaigns also face (1) a <b>house effect</b>: their poll's
/// party shares are biased, the same way in every constituency, and (2) a <b>swing</b> between the forecast and election day,
/// national and regional, correlated across the constituencies that share it — so the seats a campaign believes marginal are
/// not exactly those that turn out to be. Both default to 0 (no error beyond the poll's sampling error and the individual
/// randomness of election day), which keeps every earlier result unchanged.
/// <para>
/// Sizes, in points of national share: the average absolute error of final pre-election polls in national elections is about
/// 2 points per party (Jennings &amp; Wlezien 2018, Nature Human Behaviour 2: 276–283, 1942–2017 in 45 countries), and total
/// survey error is about twice the sampling error, much of it shared by a pollster's polls (Shirani-Mehr, Rothschild, Goel &amp;
/// Gelman 2018, JASA 113: 607–614). Regional deviations from national swing are an assumption here (British constituency
/// swings deviate from the uniform national swing by a few points; Curtice &amp; Steed's appendices to the Nuffield studies).
/// </para>
/// </summary>
public sealed record ForecastError
{
    /// <summary>Standard deviation of each party's national swing between the forecast and election day (share).</summary>
    [Param("Standard deviation of each party's national swing between the campaigns' forecast and election day", Min = 0, Max = 0.2, Unit = "share",
        Citation = "Jennings & Wlezien (2018) Nature Human Behaviour 2: final polls miss each party's national share by about 2 points on average")]
    public double NationalSwing { get; init; }

    /// <summary>Standard deviation of each party's swing per region, on top of the national swing (share).</summary>
    [Param("Standard deviation of each party's regional swing on top of the national swing (assumption)", Min = 0, Max = 0.2, Unit = "share")]
    public double RegionalSwing { get; init; }

    /// <summary>Standard deviation of the bias of a campaign's own poll in each party's share, the same in every constituency (share).</summary>
    [Param("Standard deviation of the house effect of a campaign's poll: a bias in each party's share, the same everywhere", Min = 0, Max = 0.2, Unit = "share",
        Citation = "Shirani-Mehr, Rothschild, Goel & Gelman (2018) JASA 113: total survey error about twice the sampling error")]
    public double HouseEffect { get; init; }

    /// <summary>No forecast error beyond sampling (the default).</summary>
    public static ForecastError None { get; } = new();

    /// <summary>True when election day swings away from the forecast (a national or regional swing is set).</summary>
    public bool Swings => NationalSwing > 0 || RegionalSwing > 0;

    /// <summary>Range checks (with JSON paths).</summary>
    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, path, errors);
        return errors;
    }

    /// <summary>
    /// The swing as a per-voter utility shift (i·P + j) for <paramref name="model"/>'s election day, drawn from
    /// <paramref name="seed"/>: party j's swing in region r is δⱼ + δᵣⱼ with δⱼ ~ N(0, <see cref="NationalSwing"/>) and
    /// δᵣⱼ ~ N(0, <see cref="RegionalSwing"/>), each centred over parties (so the swings move share between parties rather than
    /// inventing it; a party's swing sd is therefore the stated sd × √((P−1)/P)). The share swing becomes a utility shift by
    /// solving the linearised logit J·Δu = δ, where J<sub>jk</sub> = Σᵢ tᵢ pᵢⱼ(1[j=k] − pᵢₖ) / Σᵢ tᵢ is how party j's expected
    /// share moves with party k's utility (tᵢ: turnout propensity, pᵢⱼ: choice probability), with the largest party's utility
    /// held fixed — so each party's expected national share moves by about its swing (tested). Null when nothing swings. The
    /// same seed gives the same swing whatever the thread count.
    /// </summary>
    public float[]? UtilityShift(ElectionDayModel model, int? seed) =>
        UtilityShift(model, Workbench.Random.Seeds.Resolve(seed));

    internal float[]? UtilityShift(ElectionDayModel model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Swings) return null;
        var e = model.Electorate;
        int n = e.VoterCount, P = e.PartyCount, R = e.ConstituencyRegion.Length == 0 ? 1 : e.ConstituencyRegion.Max() + 1;
        var rng = new RandomStream(seed, StreamIds.ForecastSwing, 0);
        var national = new double[P];
        for (int j = 0; j < P; j++) national[j] = NationalSwing * rng.Normal();
        Centred(national);
        var jacobian = Jacobian(model);
        var utility = new double[R][];
        var regional = new double[P];
        for (int r = 0; r < R; r++)
        {
            for (int j = 0; j < P; j++) regional[j] = RegionalSwing * rng.Normal();
            Centred(regional);
            utility[r] = Solve(jacobian, national.Zip(regional, (a, b) => a + b).ToArray(), model.ExpectedShares);
        }
        var shift = new float[(long)n * P];
        for (int i = 0; i < n; i++)
        {
            int r = e.ConstituencyRegion.Length == 0 ? 0 : e.ConstituencyRegion[e.Constituency[i]];
            for (int j = 0; j < P; j++) shift[(long)i * P + j] = (float)utility[r][j];
        }
        return shift;
    }

    /// <summary>J<sub>jk</sub>: the change in party j's expected national share per unit of party k's utility (turnout-weighted).</summary>
    private static double[,] Jacobian(ElectionDayModel model)
    {
        var e = model.Electorate;
        int n = e.VoterCount, P = e.PartyCount;
        var J = new double[P, P]; double weight = 0;
        Span<double> p = stackalloc double[P];
        for (int i = 0; i < n; i++)
        {
            double t = (double)e.TurnoutPropensity[i];
            model.Probabilities(i, p);
            for (int j = 0; j < P; j++)
                for (int k = 0; k < P; k++) J[j, k] += t * p[j] * ((j == k ? 1 : 0) - p[k]);
            weight += t;
        }
        for (int j = 0; j < P; j++) for (int k = 0; k < P; k++) J[j, k] /= Math.Max(1e-9, weight);
        return J;
    }

    /// <summary>Solves J·Δu = δ for Δu with the largest party's Δu fixed at 0 (J's rows sum to zero, so its equation follows from the others).</summary>
    private static double[] Solve(double[,] J, double[] delta, IReadOnlyList<double> shares)
    {
        int P = delta.Length;
        int reference = 0;
        for (int j = 1; j < P; j++) if (shares[j] > shares[reference]) reference = j;
        var idx = Enumerable.Range(0, P).Where(j => j != reference).ToArray();
        int m = idx.Length;
        var a = new double[m, m + 1];
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < m; c++) a[r, c] = J[idx[r], idx[c]];
            a[r, m] = delta[idx[r]];
        }
        // Gaussian elimination with partial pivoting (m is the number of parties less one).
        for (int c = 0; c < m; c++)
        {
            int piv = c;
            for (int r = c + 1; r < m; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c])) piv = r;
            if (Math.Abs(a[piv, c]) < 1e-12) continue; // a party with no expected voters: no shift
            if (piv != c) for (int k = 0; k <= m; k++) (a[c, k], a[piv, k]) = (a[piv, k], a[c, k]);
            for (int r = 0; r < m; r++)
            {
                if (r == c) continue;
                double f = a[r, c] / a[c, c];
                for (int k = c; k <= m; k++) a[r, k] -= f * a[c, k];
            }
        }
        var u = new double[P];
        for (int r = 0; r < m; r++) u[idx[r]] = Math.Abs(a[r, r]) < 1e-12 ? 0 : a[r, m] / a[r, r];
        return u;
    }

    private static double[] Centred(double[] x)
    {
        double m = x.Average();
        for (int j = 0; j < x.Length; j++) x[j] -= m;
        return x;
    }
}
