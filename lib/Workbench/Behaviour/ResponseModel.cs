using System.Collections.Concurrent;

namespace Workbench.Behaviour;

/// <summary>Calibrated per-contact shifts of one channel for one sponsoring party.</summary>
/// <param name="TurnoutLogitLean">Turnout logit shift for contacted voters who lean to the sponsor.</param>
/// <param name="TurnoutLogitOther">Turnout logit shift for contacted voters who lean elsewhere.</param>
/// <param name="Utility">Utility shift for the sponsor for a voter of mean persuadability (scaled by persuadability / mean).</param>
public readonly record struct ChannelResponse(double TurnoutLogitLean, double TurnoutLogitOther, double Utility);

/// <summary>
/// Turns the published per-contact effects of a <see cref="ChannelSpec"/> into shifts on the
/// model's scales (MODEL.md §6): a turnout logit shift Δ such that the mean probability change
/// among the channel's contactable voters (weighted by contact probability, as a field experiment
/// measures a complier effect) equals the published effect; and a utility shift for the sponsor
/// such that the mean change in the probability of choosing the sponsor equals the published
/// persuasion effect. Solved by bisection on a fixed, evenly spaced sample of voters.
/// </summary>
public sealed class ResponseModel(ElectionDayModel model)
{
    private readonly ConcurrentDictionary<(int, string, double, double, double), ChannelResponse> _cache = new();

    /// <summary>Voters in the calibration sample (evenly spaced).</summary>
    public const int SampleSize = 20_000;

    /// <summary>The election-day model being calibrated against.</summary>
    public ElectionDayModel Model { get; } = model;

    /// <summary>The calibrated response of <paramref name="channel"/> for campaigns of party <paramref name="sponsor"/>.</summary>
    public ChannelResponse For(int sponsor, ChannelSpec channel) =>
        _cache.GetOrAdd((sponsor, channel.Name, channel.TurnoutEffect, channel.OpponentTurnoutEffect ?? double.NaN, channel.PersuasionEffect),
            _ => Calibrate(sponsor, channel));

    private ChannelResponse Calibrate(int sponsor, ChannelSpec ch)
    {
        var e = Model.Electorate;
        int n = e.VoterCount, P = e.PartyCount;
        int step = Math.Max(1, n / SampleSize);
        var lean = new List<(double Eta, double W)>(); var other = new List<(double Eta, double W)>(); var all = new List<(double Eta, double W)>();
        var pers = new List<(int Voter, double W)>();
        for (int i = 0; i < n; i += step)
        {
            double w = ch.ContactProbability(e, i, sponsor);
            if (w <= 0) continue;
            var item = ((double)Model.TurnoutLogitArray[i], w);
            all.Add(item);
            (Model.LeanArray[i] == sponsor ? lean : other).Add(item);
            if (e.VoteModel.StandsArray[e.Constituency[i] * P + sponsor]) pers.Add((i, w));
        }
        double leanShift, otherShift;
        if (ch.OpponentTurnoutEffect is double opp)
        {
            leanShift = SolveTurnout(lean.Count > 0 ? lean : all, ch.TurnoutEffect);
            otherShift = SolveTurnout(other.Count > 0 ? other : all, opp);
        }
        else leanShift = otherShift = SolveTurnout(all, ch.TurnoutEffect);
        double u = SolvePersuasion(pers, sponsor, ch.PersuasionEffect);
        return new ChannelResponse(leanShift, otherShift, u);
    }

    private static double SolveTurnout(List<(double Eta, double W)> sample, double effect)
    {
        if (effect == 0 || sample.Count == 0) return 0;
        double Mean(double d)
        {
            double s = 0, w = 0;
            foreach (var (eta, wt) in sample) { s += wt * (Workbench.Electorate.TurnoutModel.Logistic(eta + d) - Workbench.Electorate.TurnoutModel.Logistic(eta)); w += wt; }
            return s / w;
        }
        return Bisect(Mean, effect);
    }

    private double SolvePersuasion(List<(int Voter, double W)> sample, int sponsor, double effect)
    {
        if (effect == 0 || sample.Count == 0) return 0;
        int P = Model.Electorate.PartyCount;
        var baseP = new double[sample.Count];
        Span<double> p = stackalloc double[P];
        for (int s = 0; s < sample.Count; s++) { Model.Probabilities(sample[s].Voter, p); baseP[s] = p[sponsor]; }
        double Mean(double d)
        {
            Span<double> q = stackalloc double[P];
            Span<float> shift = stackalloc float[P];
            double sum = 0, w = 0;
            for (int s = 0; s < sample.Count; s++)
            {
                int i = sample[s].Voter;
                shift.Clear();
                shift[sponsor] = (float)(d * (double)Model.Electorate.Persuadability[i] / Model.MeanPersuadability);
                Model.Probabilities(i, q, shift);
                sum += sample[s].W * (q[sponsor] - baseP[s]); w += sample[s].W;
            }
            return sum / w;
        }
        return Bisect(Mean, effect);
    }

    /// <summary>Solves f(d) = target for increasing f with f(0) = 0 by bisection on [−12, 12].</summary>
    private static double Bisect(Func<double, double> f, double target)
    {
        double lo = -12, hi = 12;
        if (f(hi) < target) return hi;
        if (f(lo) > target) return lo;
        for (int it = 0; it < 60; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (f(mid) < target) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

}
