using Workbench.Campaigns;
using Workbench.Random;
using Workbench.Behaviour;

namespace Workbench.Experiments;

/// <summary>The estimates of one simulated get-out-the-vote field experiment.</summary>
/// <param name="Channel">Channel tested.</param>
/// <param name="TreatedHouseholds">Households assigned to treatment.</param>
/// <param name="ControlHouseholds">Households assigned to control.</param>
/// <param name="ContactRate">Share of treated listed voters actually contacted.</param>
/// <param name="IntentToTreat">Turnout effect of assignment on the listed voter (probability).</param>
/// <param name="ComplierEffect">Intent-to-treat divided by the contact rate (CACE).</param>
/// <param name="StandardError">Standard error of the complier effect (delta method, households as units).</param>
/// <param name="VotesPerContact">Contacts needed per extra vote: 1 / complier effect (Green &amp; Gerber's yardstick).</param>
/// <param name="SpilloverShare">Complier effect on the other members of contacted households, relative to the listed voter's (Nickerson 2008); null without multi-voter households.</param>
/// <param name="Published">The published per-contact effect the channel is calibrated to.</param>
public sealed record FieldExperimentResult(string Channel, long TreatedHouseholds, long ControlHouseholds, double ContactRate, double IntentToTreat,
    double ComplierEffect, double StandardError, double VotesPerContact, double? SpilloverShare, double Published);

/// <summary>
/// Simulated field experiments (MODEL.md §6): households are randomly assigned to treatment or
/// control inside the simulation; in treated households the listed voter (the first member) gets
/// one attempt through the channel; turnout is then drawn on election day (averaged over several
/// independent election-day draws) and the complier average causal effect is estimated exactly
/// as in the field: intent-to-treat divided by the contact rate. Outcomes are adjusted by each
/// voter's pre-treatment turnout probability (a prognostic covariate, which leaves the estimate
/// unbiased under random assignment and only reduces its variance).
/// Reproduces Green &amp; Gerber (2019), Gerber, Green &amp; Larimer (2008) and Nickerson (2008).
/// <para>With <c>amongReached</c> the experiment is run as Bond et al. (2012) ran theirs: only among the people the channel
/// reaches (Facebook users who logged in on election day), so every treated listed voter is contacted and the contact rate is 1.
/// Whether a listed voter would be reached is drawn from the same stream in both arms, so treated and control households are
/// comparable; households whose listed voter would not be reached are left out of the estimate.</para>
/// </summary>
public static class FieldExperiments
{
    private const uint StreamAssign = StreamIds.ExperimentAssign, StreamAttempt = StreamIds.ExperimentAttempt;

    /// <summary>Runs one experiment on <paramref name="model"/>'s electorate with <paramref name="channel"/>, sponsored by party <paramref name="sponsor"/>.
    /// <paramref name="draws"/> independent election-day draws are averaged per voter; with <paramref name="amongReached"/> only households whose listed voter
    /// the channel would reach are in the experiment (the design of Bond et al. 2012; contact rate 1).</summary>
    public static FieldExperimentResult Run(ElectionDayModel model, ResponseModel responses, ChannelSpec channel, int sponsor, int? seed, int draws = 20, bool amongReached = false) =>
        Run(model, responses, channel, sponsor, Workbench.Random.Seeds.Resolve(seed), draws, amongReached);

    internal static FieldExperimentResult Run(ElectionDayModel model, ResponseModel responses, ChannelSpec channel, int sponsor, ulong seed, int draws = 20, bool amongReached = false)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        var e = model.Electorate;
        int n = e.VoterCount;
        var resp = responses.For(sponsor, channel);
        var shift = new double[n];
        var role = new sbyte[n]; // 0 control listed, 1 treated listed, 2 control other, 3 treated other, −1 unused
        var contacted = new bool[n];
        long treatedHh = 0, controlHh = 0, contacts = 0;
        int start = 0;
        while (start < n)
        {
            int h = e.Household[start], end = start;
            while (end < n && e.Household[end] == h) end++;
            var assign = new RandomStream(seed, StreamAssign, (ulong)h);
            bool treated = assign.NextDouble() < 0.5;
            // Whether the attempt on the listed voter would succeed: drawn for both arms, used in the treated arm only
            // (and, among the reached, to choose who is in the experiment at all).
            bool reachable = new RandomStream(seed, StreamAttempt, (ulong)start).NextDouble() < channel.ContactProbability(e, start, sponsor);
            if (amongReached && !reachable)
            {
                for (int i = start; i < end; i++) role[i] = -1;
                start = end;
                continue;
            }
            if (treated) treatedHh++; else controlHh++;
            role[start] = (sbyte)(treated ? 1 : 0);
            for (int i = start + 1; i < end; i++) role[i] = (sbyte)(treated ? 3 : 2);
            if (treated)
            {
                if (reachable)
                {
                    contacted[start] = true; contacts++;
                    double d = model.LeanArray[start] == sponsor ? resp.TurnoutLogitLean : resp.TurnoutLogitOther;
                    shift[start] = d;
                    for (int i = start + 1; i < end; i++) shift[i] = d * channel.HouseholdSpillover;
                }
            }
            start = end;
        }
        // Outcomes: mean turnout over independent election-day draws, minus the pre-treatment probability.
        var y = new double[n];
        for (int d = 0; d < draws; d++)
        {
            ulong s = Seeds.Derive(seed, SeedLabels.FieldExperiment.ElectionDay, (ulong)d);
            for (int i = 0; i < n; i++)
            {
                if (role[i] < 0) continue;
                var rng = new RandomStream(s, ElectionDayModel.StreamElectionDay, (ulong)i);
                double eta = model.TurnoutLogitArray[i];
                if (rng.NextDouble() < Workbench.Electorate.TurnoutModel.Logistic(eta + shift[i])) y[i] += 1;
            }
        }
        var sum = new double[4]; var sq = new double[4]; var cnt = new long[4];
        for (int i = 0; i < n; i++)
        {
            if (role[i] < 0) continue;
            double v = y[i] / draws - Workbench.Electorate.TurnoutModel.Logistic(model.TurnoutLogitArray[i]);
            sum[role[i]] += v; sq[role[i]] += v * v; cnt[role[i]]++;
        }
        double Mean(int r) => sum[r] / Math.Max(1, cnt[r]);
        double Var(int r) => cnt[r] > 1 ? (sq[r] - sum[r] * sum[r] / cnt[r]) / (cnt[r] - 1) / cnt[r] : 0;
        double contactRate = (double)contacts / Math.Max(1, treatedHh);
        double itt = Mean(1) - Mean(0);
        double cace = contactRate > 0 ? itt / contactRate : 0;
        double se = contactRate > 0 ? Math.Sqrt(Var(1) + Var(0)) / contactRate : double.NaN;
        double? spill = null;
        if (cnt[3] > 0 && cnt[2] > 0 && cace != 0) spill = (Mean(3) - Mean(2)) / contactRate / cace;
        return new FieldExperimentResult(channel.Name, treatedHh, controlHh, contactRate, itt, cace, se, cace != 0 ? 1 / cace : double.PositiveInfinity, spill, channel.TurnoutEffect);
    }
}
