using System.Collections.Immutable;
using Workbench.Random;

namespace Workbench.Electorate;

/// <summary>
/// The vote-choice model of MODEL.md §2: the utility of party j for voter i is
/// U_ij = −w Σ_k s_ik (x_ik − p_jk)² + β·PID_ij·strength_i + v_j + c_{j,constituency} + ε_ij,
/// with ε standard Gumbel, so choice probabilities are multinomial logit (McFadden 1974).
/// Valences v_j and constituency offsets c are calibrated by the generator; campaigns add
/// per-voter utility shifts on election day. Parties that do not stand in a constituency have
/// utility −∞ there.
/// </summary>
public sealed class VoteModel
{
    internal VoteModel(int parties, int issues, int constituencies, double[] positions, double policyWeight, double partyIdWeight)
    {
        Parties = parties; Issues = issues; Constituencies = constituencies;
        PartyPositionsArray = positions; PolicyWeight = policyWeight; PartyIdWeight = partyIdWeight;
        ValenceArray = new double[parties];
        ConstituencyOffsetArray = new double[constituencies * parties];
        StandsArray = Enumerable.Repeat(true, constituencies * parties).ToArray();
    }

    /// <summary>Number of parties.</summary>
    public int Parties { get; }
    /// <summary>Number of issues.</summary>
    public int Issues { get; }
    /// <summary>Number of constituencies.</summary>
    public int Constituencies { get; }
    /// <summary>Party positions, party j issue k at j·K + k. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> PartyPositions => PartyPositionsArray.Frozen();
    /// <summary>The array behind <see cref="PartyPositions"/>, for the library's own loops.</summary>
    internal double[] PartyPositionsArray { get; }
    /// <summary>w: weight of the salience-weighted squared distance.</summary>
    public double PolicyWeight { get; }
    /// <summary>β: weight of party identification.</summary>
    public double PartyIdWeight { get; }
    /// <summary>Calibrated party valences v_j. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> Valence => ValenceArray.Frozen();
    /// <summary>The array behind <see cref="Valence"/>, for the library's own loops.</summary>
    internal double[] ValenceArray { get; }
    /// <summary>Constituency offsets c_{j,k}, constituency k party j at k·P + j. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> ConstituencyOffset => ConstituencyOffsetArray.Frozen();
    /// <summary>The array behind <see cref="ConstituencyOffset"/>, for the library's own loops.</summary>
    internal double[] ConstituencyOffsetArray { get; }
    /// <summary>Whether party j stands in constituency k (k·P + j). A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<bool> Stands => StandsArray.Frozen();
    /// <summary>The array behind <see cref="Stands"/>, for the library's own loops.</summary>
    internal bool[] StandsArray { get; }

    /// <summary>Deterministic utilities (without the Gumbel shock) of every party for one voter, written to <paramref name="utility"/>.</summary>
    public void Utilities(Electorate e, int voter, Span<double> utility)
    {
        int P = Parties, K = Issues, k = e.Constituency[voter];
        int pid = e.PartyId[voter];
        double strength = (double)e.PartyIdStrength[voter];
        int baseIdx = voter * K;
        // The voter's positions and saliences widened once, not once per party.
        Span<double> x = K <= 32 ? stackalloc double[2 * K] : new double[2 * K];
        for (int q = 0; q < K; q++) { x[q] = (double)e.IssuePosition[baseIdx + q]; x[K + q] = (double)e.IssueSalience[baseIdx + q]; }
        for (int j = 0; j < P; j++)
        {
            if (!StandsArray[k * P + j]) { utility[j] = double.NegativeInfinity; continue; }
            double d = 0;
            for (int q = 0; q < K; q++)
            {
                double diff = x[q] - PartyPositionsArray[j * K + q];
                d += x[K + q] * diff * diff;
            }
            double u = -PolicyWeight * d + ValenceArray[j] + ConstituencyOffsetArray[k * P + j];
            if (pid == j) u += PartyIdWeight * strength;
            utility[j] = u;
        }
    }

    /// <summary>Multinomial-logit choice probabilities from utilities (in place, numerically stable).</summary>
    public static void Softmax(Span<double> utility)
    {
        double max = double.NegativeInfinity;
        foreach (var u in utility) if (u > max) max = u;
        double sum = 0;
        for (int j = 0; j < utility.Length; j++) { utility[j] = double.IsNegativeInfinity(utility[j]) ? 0 : Math.Exp(utility[j] - max); sum += utility[j]; }
        for (int j = 0; j < utility.Length; j++) utility[j] /= sum;
    }

    /// <summary>Choice probabilities of one voter, with optional utility shifts (e.g. campaign persuasion).</summary>
    public void Probabilities(Electorate e, int voter, Span<double> result, ReadOnlySpan<double> shift = default)
    {
        Utilities(e, voter, result);
        if (!shift.IsEmpty) for (int j = 0; j < result.Length; j++) result[j] += shift[j];
        Softmax(result);
    }

    /// <summary>The party of highest utility after adding independent standard Gumbel shocks: a draw from the logit.</summary>
    public static int ChooseWithGumbel(ReadOnlySpan<double> utility, ref RandomStream rng)
    {
        int best = 0;
        double bestU = double.NegativeInfinity;
        for (int j = 0; j < utility.Length; j++)
        {
            double g = rng.Gumbel();
            if (double.IsNegativeInfinity(utility[j])) continue;
            double u = utility[j] + g;
            if (u > bestU) { bestU = u; best = j; }
        }
        return best;
    }

    /// <summary>
    /// A tactical vote under FPTP (MODEL.md §2): if the sincere choice is not viable in the seat
    /// (its expected share is below <paramref name="viability"/> of the leader's), the voter moves,
    /// with probability <paramref name="probability"/>, to the viable party of highest utility.
    /// </summary>
    public static int Tactical(int sincere, ReadOnlySpan<double> utility, ReadOnlySpan<double> seatShares, double viability, double probability, ref RandomStream rng)
    {
        Parameters.Require(nameof(viability), viability, 0, 1);
        Parameters.Require(nameof(probability), probability, 0, 1);
        double lead = 0;
        foreach (var s in seatShares) lead = Math.Max(lead, s);
        double threshold = viability * lead;
        double u = rng.NextDouble();
        if (seatShares[sincere] >= threshold || u >= probability) return sincere;
        int best = sincere;
        double bestU = double.NegativeInfinity;
        for (int j = 0; j < utility.Length; j++)
            if (seatShares[j] >= threshold && utility[j] > bestU) { bestU = utility[j]; best = j; }
        return best;
    }
}

/// <summary>
/// The turnout model of MODEL.md §2: logit p_i = α + b_age·(age−45)/10 + b_edu·education +
/// b_past·pastTurnout + b_pid·strength + b_int·interest + b_close·closeness_k. The intercept α is
/// calibrated so that mean p equals the target turnout.
/// </summary>
public sealed class TurnoutModel
{
    internal TurnoutModel(TurnoutModelSpec spec, int constituencies) { Spec = spec; ClosenessArray = new double[constituencies]; }

    /// <summary>The coefficients.</summary>
    public TurnoutModelSpec Spec { get; }
    /// <summary>The calibrated intercept α.</summary>
    public double Intercept { get; internal set; }
    /// <summary>Closeness per constituency: 1 − expected margin between the first two parties. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> Closeness => ClosenessArray.Frozen();
    /// <summary>The array behind <see cref="Closeness"/>, for the library's own loops.</summary>
    internal double[] ClosenessArray { get; }

    /// <summary>The linear predictor without the intercept.</summary>
    public double Index(Electorate e, int voter) =>
        Spec.Age * (e.Age[voter] - 45) / 10.0 + Spec.Education * e.Education[voter] + Spec.PastTurnout * e.PastTurnout[voter]
        + Spec.PartyIdStrength * (double)e.PartyIdStrength[voter] + Spec.Interest * (double)e.Interest[voter]
        + Spec.Closeness * ClosenessArray[e.Constituency[voter]];

    /// <summary>Turnout probability, with an optional shift on the logit scale (e.g. mobilisation).</summary>
    public double Probability(Electorate e, int voter, double logitShift = 0) => Logistic(Intercept + Index(e, voter) + logitShift);

    /// <summary>The logistic function.</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>The logit function.</summary>
    public static double Logit(double p) => Math.Log(p / (1 - p));
}
