namespace Workbench.Random;

/// <summary>
/// Every label the library passes to <see cref="Seeds.Derive"/> right after a parent seed, in one registry, grouped by
/// that parent. <c>Seeds.Derive(parent, label, …)</c> gives each stage of a run a seed of its own; two stages that derive
/// from the same parent with the same label and the same further path would draw the same numbers, so within a group the
/// labels are distinct (the test list <c>Random.SeedLabels</c> checks it). A label may be reused with extra path elements
/// only when the stages are meant to share a seed (<see cref="Replicate.MessageChoice"/>: one message choice per party,
/// whichever way it is made). The values are historical (changing one changes every output that derives from it); add new
/// labels at unused values of their group.
/// </summary>
public static class SeedLabels
{
    /// <summary>Labels under a run's master seed.</summary>
    public static class Master
    {
        /// <summary>A replicate's seed (path: the replicate).</summary>
        public const ulong Replicate = 1;
    }

    /// <summary>Labels under a replicate's seed (the stages of one replicate of a scenario).</summary>
    public static class Replicate
    {
        /// <summary>Election day's draws: the seed of draw 0.</summary>
        public const ulong Election = 2;
        /// <summary>What a campaign knows (path: sponsor, party).</summary>
        public const ulong Knowledge = 3;
        /// <summary>A campaign's own seed, the parent of <see cref="SeedLabels.Campaign"/> (path: sponsor, party).</summary>
        public const ulong Campaign = 4;
        /// <summary>The electorate's social graph (cascades, influencers, opinion drift).</summary>
        public const ulong Network = 5;
        /// <summary>Oversight's detection of a campaign's violations (path: sponsor, party; stream <see cref="StreamIds.RegulationDetection"/>).</summary>
        public const ulong Oversight = 6;
        /// <summary>Election day's further draws (path: the draw, from 1).</summary>
        public const ulong ElectionDraw = 7;
        /// <summary>A party's message space (path: party).</summary>
        public const ulong MessageSpace = 9;
        /// <summary>How a party chooses its message — targeting plan, random pick or A/B test, one of them per party (path: party).</summary>
        public const ulong MessageChoice = 10;
        /// <summary>Psychographic inference of a party's campaign (path: party).</summary>
        public const ulong Psychographics = 11;
        /// <summary>The swing between the campaigns' forecast and election day.</summary>
        public const ulong ForecastSwing = 12;
        /// <summary>The house effect of a campaign's poll (path: party, and the sponsor for an outside advertiser).</summary>
        public const ulong HouseEffect = 13;
        /// <summary>Opinion drift on the social graph over the campaign.</summary>
        public const ulong OpinionDrift = 14;
    }

    /// <summary>
    /// Labels under a replicate's seed column (the replicate seed with its top bit cleared, as results.csv records it). The
    /// parent can equal the replicate's seed, so the labels here are kept apart from <see cref="Replicate"/>'s by their
    /// paths: <see cref="ArchiveAd"/> has the value of <see cref="Replicate.ElectionDraw"/> but two path elements after it,
    /// the draw one.
    /// </summary>
    public static class ReplicateColumn
    {
        /// <summary>An archived ad's flight dates and dark-post draw (path: arm, channel; stream <see cref="StreamIds.ArchiveAd"/>).</summary>
        public const ulong ArchiveAd = 7;
    }

    /// <summary>Labels under a campaign's own seed (<see cref="Replicate.Campaign"/>).</summary>
    public static class Campaign
    {
        /// <summary>Earned media: the cascade of the campaign's shares.</summary>
        public const ulong EarnedMedia = 12;
        /// <summary>Where the campaign's volunteers live.</summary>
        public const ulong VolunteerHomes = 13;
        /// <summary>How the campaign's volunteers are routed.</summary>
        public const ulong VolunteerRoutes = 14;
        /// <summary>Page insights: the cascade of an earlier post, whose reach by constituency the campaign plans with.</summary>
        public const ulong PageInsights = 15;
        /// <summary>The default online graph built when a campaign's context was given none.</summary>
        public const ulong OnlineGraph = 16;
    }

    /// <summary>Labels under a simulated field experiment's seed.</summary>
    public static class FieldExperiment
    {
        /// <summary>An election-day draw of the outcomes (path: the draw).</summary>
        public const ulong ElectionDay = 100;
    }
}
