using Workbench.Electorate;
using Workbench.Tables;

namespace Workbench.Scoring;

/// <summary>One neighbourhood in an area swing analysis.</summary>
/// <param name="Neighbourhood">Neighbourhood index.</param>
/// <param name="Constituency">Its constituency.</param>
/// <param name="X">Map position (0..1).</param>
/// <param name="Y">Map position (0..1).</param>
/// <param name="Voters">Registered voters.</param>
/// <param name="PastShare">The party's share of the votes cast at the last election.</param>
/// <param name="CurrentShare">Its expected share now (sincere votes weighted by turnout propensity).</param>
/// <param name="Swing">CurrentShare − PastShare.</param>
/// <param name="PredictedSwing">The swing the regression on area characteristics predicts.</param>
/// <param name="PastMargin">The party's lead over its strongest rival at the last election (negative when behind).</param>
/// <param name="CurrentMargin">Its expected lead now.</param>
/// <param name="Class">stronghold, battle zone, swing street, opponent stronghold or other (see <see cref="AreaSwing"/>).</param>
public sealed record AreaSwingRow(int Neighbourhood, int Constituency, float X, float Y, int Voters, double PastShare, double CurrentShare,
    double Swing, double PredictedSwing, double PastMargin, double CurrentMargin, string Class);

/// <summary>The result of <see cref="AreaSwing.Analyse"/>.</summary>
public sealed record AreaSwingResult(string Party, IReadOnlyList<string> Covariates, IReadOnlyList<double> Coefficients, double RSquared,
    IReadOnlyList<AreaSwingRow> Areas)
{
    /// <summary>Neighbourhoods per class, in the order of <see cref="AreaSwing.Classes"/>.</summary>
    public IReadOnlyList<(string Class, int Areas, int Voters)> ClassCounts =>
        AreaSwing.Classes.Select(c => (c, Areas.Count(a => a.Class == c), Areas.Where(a => a.Class == c).Sum(a => a.Voters))).ToArray();

    /// <summary>The areas as a table (one row per neighbourhood): neighbourhood, constituency, x, y, voters, past_share, current_share, swing, predicted_swing, past_margin, current_margin, class.</summary>
    public ColumnTable ToTable() => new(
    [
        new TableColumn("neighbourhood", Areas.Select(a => a.Neighbourhood).ToArray()),
        new TableColumn("constituency", Areas.Select(a => a.Constituency).ToArray()),
        new TableColumn("x", Areas.Select(a => a.X).ToArray()),
        new TableColumn("y", Areas.Select(a => a.Y).ToArray()),
        new TableColumn("voters", Areas.Select(a => a.Voters).ToArray()),
        new TableColumn("past_share", Areas.Select(a => a.PastShare).ToArray()),
        new TableColumn("current_share", Areas.Select(a => a.CurrentShare).ToArray()),
        new TableColumn("swing", Areas.Select(a => a.Swing).ToArray()),
        new TableColumn("predicted_swing", Areas.Select(a => a.PredictedSwing).ToArray()),
        new TableColumn("past_margin", Areas.Select(a => a.PastMargin).ToArray()),
        new TableColumn("current_margin", Areas.Select(a => a.CurrentMargin).ToArray()),
        new TableColumn("class", Areas.Select(a => a.Class).ToArray()),
    ]);

    /// <summary>The areas as CSV (one row per neighbourhood; <see cref="ToTable"/> written by <see cref="ColumnTable.ToCsv"/>).</summary>
    public string ToCsv() => ToTable().ToCsv();
}

/// <summary>
/// Area-level swing analysis (MODEL.md §4; the Dutch E-Canvasser's postcode maps and the "swing streets" of
/// International IDEA, Digital Microtargeting, 2018): each neighbourhood's gain or loss for a party between the
/// last election and now is regressed, weighted by voters, on characteristics a campaign can read from public
/// area statistics (mean age, shares with higher education, urban, minority, retired, mean income quintile) and
/// the party's past share there. Neighbourhoods are then classed — battle zone (current margin within
/// <see cref="BattleMargin"/>), swing street (predicted swing in the largest <see cref="SwingStreetShare"/> by size),
/// stronghold / opponent stronghold (past margin at least <see cref="StrongholdMargin"/> for / against), other — in
/// that order of precedence. The swing is the simulator's truth at area level (what the next election's area results
/// would show), so the regression measures how much of it public area statistics explain.
/// </summary>
public static class AreaSwing
{
    /// <summary>Class names, in order of precedence.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["battle zone", "swing street", "stronghold", "opponent stronghold", "other"];
    /// <summary>A neighbourhood where the expected margin is within ±10 points is a battle zone.</summary>
    public const double BattleMargin = 0.10;
    /// <summary>Past lead (or deficit) of at least 15 points makes a stronghold (or an opponent's).</summary>
    public const double StrongholdMargin = 0.15;
    /// <summary>The tenth of neighbourhoods with the largest predicted swing (either way) are swing streets.</summary>
    public const double SwingStreetShare = 0.10;

    /// <summary>The regressors, after the intercept.</summary>
    public static IReadOnlyList<string> CovariateNames { get; } =
        ["mean age / 10", "share with higher education", "share urban", "share minority", "share retired", "mean income quintile", "past share"];

    /// <summary>Runs the analysis for one party of the electorate.</summary>
    public static AreaSwingResult Analyse(Electorate.Electorate e, string party)
    {
        ArgumentNullException.ThrowIfNull(e);
        int j = Array.IndexOf(e.PartyNames.ToArray(), party);
        if (j < 0) throw new ArgumentException($"'{party}' is not a party of the electorate ({string.Join(", ", e.PartyNames)}).", nameof(party));
        int M = e.NeighbourhoodCount, P = e.PartyCount, K = CovariateNames.Count;
        var voters = new int[M];
        var past = new double[M * P]; var pastTotal = new double[M];
        var now = new double[M * P]; var nowTotal = new double[M];
        var sums = new double[M * (K - 1)];
        for (int i = 0; i < e.VoterCount; i++)
        {
            int a = e.Neighbourhood[i];
            voters[a]++;
            if (e.PastVote[i] >= 0) { past[a * P + e.PastVote[i]]++; pastTotal[a]++; }
            double t = (double)e.TurnoutPropensity[i];
            now[a * P + e.SincereVote[i]] += t; nowTotal[a] += t;
            int b = a * (K - 1);
            sums[b] += e.Age[i] / 10.0;
            sums[b + 1] += e.Education[i] == 2 ? 1 : 0;
            sums[b + 2] += e.Urban[i];
            sums[b + 3] += e.Minority[i];
            sums[b + 4] += e.Employment[i] == (byte)Employment.Retired ? 1 : 0;
            sums[b + 5] += e.IncomeQuintile[i];
        }
        var x = new double[M][]; var y = new double[M]; var w = new double[M];
        var pastShare = new double[M]; var nowShare = new double[M]; var pastMargin = new double[M]; var nowMargin = new double[M];
        for (int a = 0; a < M; a++)
        {
            double Share(double[] v, double[] tot, int k) => tot[a] > 0 ? v[a * P + k] / tot[a] : 0;
            pastShare[a] = Share(past, pastTotal, j); nowShare[a] = Share(now, nowTotal, j);
            double bestPast = 0, bestNow = 0;
            for (int k = 0; k < P; k++)
            {
                if (k == j) continue;
                bestPast = Math.Max(bestPast, Share(past, pastTotal, k)); bestNow = Math.Max(bestNow, Share(now, nowTotal, k));
            }
            pastMargin[a] = pastShare[a] - bestPast; nowMargin[a] = nowShare[a] - bestNow;
            var row = new double[K + 1];
            row[0] = 1;
            for (int c = 0; c < K - 1; c++) row[c + 1] = voters[a] > 0 ? sums[a * (K - 1) + c] / voters[a] : 0;
            row[K] = pastShare[a];
            x[a] = row; y[a] = nowShare[a] - pastShare[a]; w[a] = voters[a];
        }
        var beta = WeightedLeastSquares(x, y, w);
        var fitted = x.Select(r => Dot(r, beta)).ToArray();
        double wsum = w.Sum(), ybar = y.Select((v, a) => v * w[a]).Sum() / wsum;
        double ssTot = 0, ssRes = 0;
        for (int a = 0; a < M; a++) { ssTot += w[a] * (y[a] - ybar) * (y[a] - ybar); ssRes += w[a] * (y[a] - fitted[a]) * (y[a] - fitted[a]); }
        double r2 = ssTot > 0 ? 1 - ssRes / ssTot : 0;
        // Swing streets: the SwingStreetShare of neighbourhoods with the largest |predicted swing| (ties by index).
        int streets = (int)Math.Ceiling(SwingStreetShare * M);
        var bySwing = Enumerable.Range(0, M).OrderByDescending(a => Math.Abs(fitted[a])).ThenBy(a => a).Take(streets).ToHashSet();
        var rows = new AreaSwingRow[M];
        for (int a = 0; a < M; a++)
        {
            string cls = Math.Abs(nowMargin[a]) < BattleMargin ? "battle zone"
                : bySwing.Contains(a) ? "swing street"
                : pastMargin[a] >= StrongholdMargin ? "stronghold"
                : pastMargin[a] <= -StrongholdMargin ? "opponent stronghold" : "other";
            rows[a] = new AreaSwingRow(a, e.NeighbourhoodConstituency[a], e.NeighbourhoodX[a], e.NeighbourhoodY[a], voters[a], pastShare[a], nowShare[a],
                y[a], fitted[a], pastMargin[a], nowMargin[a], cls);
        }
        return new AreaSwingResult(party, CovariateNames, beta, r2, rows);
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int k = 0; k < a.Length; k++) s += a[k] * b[k]; return s; }

    /// <summary>
    /// Weighted least squares: the β minimising Σ wᵢ (yᵢ − xᵢ·β)², by the normal equations with partial-pivot Gaussian
    /// elimination; a column that is constant or collinear gets a tiny ridge (10⁻⁹ of the diagonal) so the solve is defined.
    /// </summary>
    public static double[] WeightedLeastSquares(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double> w)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y); ArgumentNullException.ThrowIfNull(w);
        if (x.Count == 0 || x.Count != y.Count || x.Count != w.Count) throw new ArgumentException("x, y and w need the same, non-zero length.", nameof(x));
        int p = x[0].Length;
        var a = new double[p, p + 1];
        for (int i = 0; i < x.Count; i++)
        {
            if (x[i].Length != p) throw new ArgumentException($"row {i} has {x[i].Length} columns, not {p}.", nameof(x));
            if (!(w[i] >= 0)) throw new ArgumentOutOfRangeException(nameof(w), w[i], "weights must be ≥ 0.");
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++) a[r, c] += w[i] * x[i][r] * x[i][c];
                a[r, p] += w[i] * x[i][r] * y[i];
            }
        }
        for (int r = 0; r < p; r++) a[r, r] += 1e-9 * Math.Max(a[r, r], 1e-12);
        for (int col = 0; col < p; col++)
        {
            int piv = col;
            for (int r = col + 1; r < p; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (piv != col) for (int c = 0; c <= p; c++) (a[col, c], a[piv, c]) = (a[piv, c], a[col, c]);
            for (int r = 0; r < p; r++)
            {
                if (r == col || a[col, col] == 0) continue;
                double f = a[r, col] / a[col, col];
                for (int c = col; c <= p; c++) a[r, c] -= f * a[col, c];
            }
        }
        var beta = new double[p];
        for (int r = 0; r < p; r++) beta[r] = a[r, r] != 0 ? a[r, p] / a[r, r] : 0;
        return beta;
    }
}
