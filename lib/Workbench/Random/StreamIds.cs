namespace Workbench.Random;

/// <summary>
/// Every random stream id of the library, in one registry. A <see cref="RandomStream"/> is keyed by (seed, stream id,
/// counter): two draws that share a seed must not share a stream id unless they are meant to be the same numbers, so each
/// stage of each model draws from an id of its own and adding draws to one stage never shifts another's numbers. The test
/// list <c>Random.StreamIds</c> checks that the ids are distinct and that <see cref="Campaign"/> never returns one twice.
/// The values are historical (changing one changes every output that draws from it); add new ids at unused values.
/// </summary>
public static class StreamIds
{
    // Electorate generator (seed: the electorate's).
    /// <summary>Regions and the synthetic map.</summary>
    public const uint Geography = 1;
    /// <summary>Constituency traits, per constituency.</summary>
    public const uint Constituency = 2;
    /// <summary>Neighbourhood traits, per neighbourhood.</summary>
    public const uint Neighbourhood = 3;
    /// <summary>Households, per constituency.</summary>
    public const uint Household = 4;
    /// <summary>Voter attributes, per voter (the vector voter pass reads it in blocks).</summary>
    public const uint Voter = 5;
    /// <summary>The sincere vote, per voter.</summary>
    public const uint Vote = 6;
    /// <summary>Constituency offsets of party utilities, per constituency.</summary>
    public const uint Offsets = 7;
    /// <summary>Rejection-sampling retries of a voter's gamma draws, per voter.</summary>
    public const uint VoterRetry = 8;
    /// <summary>A household's shared opinion draws (counter: the household); historically the household id plus 100.</summary>
    public const uint HouseholdOpinion = Household + 100;

    // Election day, field experiments (seed: the election's or the experiment's).
    /// <summary>Turnout and vote draws on election day, per voter.</summary>
    public const uint ElectionDay = 8001;
    /// <summary>Random assignment of households to treatment in a simulated field experiment.</summary>
    public const uint ExperimentAssign = 8101;
    /// <summary>Contact attempts in a simulated field experiment.</summary>
    public const uint ExperimentAttempt = 8102;
    /// <summary>Which users see the message in the simulated social-contagion experiment (Bond et al. 2012), per voter.</summary>
    public const uint ExperimentSocialTreatment = 8103;
    /// <summary>The national and regional swing between the campaigns' forecast and election day, per replicate.</summary>
    public const uint ForecastSwing = 8201;
    /// <summary>The house effect of a campaign's poll, per replicate and party.</summary>
    public const uint HouseEffect = 8202;

    // Campaigns (seed: the campaign's, derived per arm and party).
    /// <summary>Base of the per-channel contact streams (see <see cref="Campaign"/>).</summary>
    public const uint CampaignContactBase = 7000;
    /// <summary>Base of the per-channel broadcast-plan streams (see <see cref="Campaign"/>).</summary>
    public const uint CampaignBroadcastBase = 7500;
    /// <summary>What a campaign knows: its estimates of constituency margins.</summary>
    public const uint CampaignKnowledge = 9101;
    /// <summary>The week of each contact of a scheduled campaign channel (counter: channel × 2^32 + voter).</summary>
    public const uint CampaignWeek = 9102;
    /// <summary>Where a campaign's volunteers live: the seeded tie-break of the largest-remainder placement (counter: the constituency).</summary>
    public const uint VolunteerPlacement = 9103;
    /// <summary>The order in which a campaign's volunteers are routed to seats (counter: the volunteer).</summary>
    public const uint VolunteerOrder = 9104;
    /// <summary>The hidden true response of each message.</summary>
    public const uint MessageTruth = 9201;
    /// <summary>A/B-test impressions and outcomes.</summary>
    public const uint MessageTest = 9301;
    /// <summary>A/B-test rounds (counter: the round).</summary>
    public const uint MessageTestRound = 9302;
    /// <summary>Psychographic inference noise (counter: the voter).</summary>
    public const uint Psychographics = 9303;
    /// <summary>How each message's persuasion varies with observable voter attributes (counter: the variant); drawn only when the heterogeneity is above 0.</summary>
    public const uint MessageHeterogeneity = 9202;
    /// <summary>A persuasion pretest: its shortlist of candidate variants and the measurement noise of its respondents (counter: the replicate of a comparison, 0 for a campaign's pretest).</summary>
    public const uint MessagePretest = 9304;

    // Scoring and data (seed: the scoring run's or the data view's).
    /// <summary>Poll respondents.</summary>
    public const uint ScoringPoll = 9401;
    /// <summary>Canvass records.</summary>
    public const uint ScoringCanvass = 9402;
    /// <summary>The randomised message test behind uplift models.</summary>
    public const uint ScoringTest = 9403;
    /// <summary>Turnout labels of validated records, per voter.</summary>
    public const uint ScoringTurnoutLabel = 9404;
    /// <summary>Record linkage errors, per voter.</summary>
    public const uint ScoringLinkage = 9405;
    /// <summary>The multi-arm message test.</summary>
    public const uint ScoringArmTest = 9406;
    /// <summary>Poll respondents' reported turnout, per voter.</summary>
    public const uint ScoringPollTurnout = 9414;
    /// <summary>The data view's quality draws (a derived seed, not a stream id: Seeds.Derive(seed, this)).</summary>
    public const uint ScoringDataView = 9500;
    /// <summary>Which voters a data source covers, per voter.</summary>
    public const uint DataCoverage = 9501;
    /// <summary>Noise of what a data source records, per voter.</summary>
    public const uint DataObservation = 9502;
    /// <summary>Representative area sampling: the areas picked.</summary>
    public const uint AreaPick = 9601;
    /// <summary>Representative area sampling: the doors knocked.</summary>
    public const uint AreaDoors = 9602;
    /// <summary>An archive audit's counterfactual audiences: holders of a hidden attribute drawn in an ad's delivered regions (counter: the ad's index in the archive).</summary>
    public const uint AuditCounterfactual = 9701;
    /// <summary>Time-of-day records of past visits and calls.</summary>
    public const uint TimeOfDay = 0x70D;
    /// <summary>Custom-audience matching of an uploaded voter file, per voter.</summary>
    public const uint CustomAudience = 0xCA0D;

    // Networks (seed: the graph's or the dynamics run's).
    /// <summary>Online ties of the electorate graph, per voter.</summary>
    public const uint GraphOnline = 0x4E;
    /// <summary>Neighbourhood ties of the electorate graph, per voter.</summary>
    public const uint GraphNeighbourhood = 0x0A;
    /// <summary>Initial opinions of a dynamics run.</summary>
    public const uint OpinionsInitial = 0x0B;
    /// <summary>The interactions of a dynamics run, per replicate (one- and multi-dimensional runs alike).</summary>
    public const uint OpinionsRun = 0x0D;
    /// <summary>Erdős–Rényi graph edges.</summary>
    public const uint GraphErdosRenyi = 0xE5;
    /// <summary>Watts–Strogatz rewiring.</summary>
    public const uint GraphWattsStrogatz = 0x35;
    /// <summary>Barabási–Albert attachment.</summary>
    public const uint GraphBarabasiAlbert = 0xBA;
    /// <summary>Stochastic block model edges, per block pair.</summary>
    public const uint GraphBlocks = 0x5B;
    /// <summary>Homophilous attachment.</summary>
    public const uint GraphHomophilous = 0x4A;
    /// <summary>Cascade seeds' sharing decisions.</summary>
    public const uint Cascade = 0xCA5;
    /// <summary>Cascade transmissions, per edge.</summary>
    public const uint CascadeEdge = 0xCA6;
    /// <summary>Whether a ranked feed shows a share to a neighbour, per edge (only drawn when the ranking γ is above 0).</summary>
    public const uint CascadeFeed = 0xCA7;

    // Elections.
    /// <summary>A random tie-break among tied parties (only under an explicit random tie-break rule).</summary>
    public const uint TieBreak = 0x71E;
    /// <summary>Constituency swings of a non-uniform seats–votes curve (counter: the curve's point).</summary>
    public const uint SeatsVotesSwing = 0x5E47;

    // Regulation (seed: derived per replicate, sponsor and party with SeedLabels.Replicate.Oversight).
    /// <summary>Whether oversight detects a violation (counter: the kind of violation — 0 spending, 2 foreign funding, …); the only stream under its seed.</summary>
    public const uint RegulationDetection = 0;

    // Sensitivity analysis (seed: the analysis's).
    /// <summary>A Morris trajectory's start and directions (counter: the trajectory).</summary>
    public const uint SensitivityMorris = 0x5E45_0001;
    /// <summary>A bootstrap resample of the Sobol' rows (counter: the resample).</summary>
    public const uint SensitivityBootstrap = 0x5E45_0002;

    /// <summary>Most parties an archive's ad streams are numbered for (the electorate's limit).</summary>
    public const int MaxArchiveParties = 64;

    /// <summary>
    /// The stream of an archived ad's flight dates and dark-post draw for the party with index <paramref name="party"/>
    /// (counter: the ad's delivery unit). The id is the party index itself (historical: changing it changes every archive),
    /// so it repeats small fixed ids of this registry; it is drawn only under a seed of its own,
    /// <c>Seeds.Derive(seed column, SeedLabels.ReplicateColumn.ArchiveAd, arm, channel)</c>, where no other stream draws, and
    /// within that seed no two parties share an id.
    /// </summary>
    public static uint ArchiveAd(int party)
    {
        if ((uint)party >= MaxArchiveParties) throw new ArgumentOutOfRangeException(nameof(party), party, $"party must be in 0..{MaxArchiveParties - 1}.");
        return (uint)party;
    }

    /// <summary>The kinds of per-channel stream a campaign draws.</summary>
    public enum CampaignStream
    {
        /// <summary>Contacts delivered to a voter (counter: the voter).</summary>
        Contact,
        /// <summary>The broadcast plan's attempts (counter 0).</summary>
        Broadcast,
        /// <summary>The marginal unit's fractional attempt (counter: the voter).</summary>
        Fraction,
    }

    /// <summary>Channels and sponsors that keep the historical ids (base + sponsor × 32 + channel [+ 16 for fractions]).</summary>
    public const int HistoricalChannels = 16, HistoricalSponsors = 15;

    /// <summary>
    /// The stream id of one kind of draw for channel <paramref name="channel"/> of the campaign of party
    /// <paramref name="sponsor"/>. Below 16 channels and 15 sponsors it is the historical id (so shipped results are
    /// unchanged); beyond, an id from a range of its own per kind (above 2^28), so no two (kind, sponsor, channel)
    /// share an id for up to 4,096 sponsors and 65,536 channels.
    /// </summary>
    public static uint Campaign(CampaignStream kind, int sponsor, int channel)
    {
        if ((uint)sponsor >= 4096) throw new ArgumentOutOfRangeException(nameof(sponsor), sponsor, "sponsor must be in 0..4095.");
        if ((uint)channel >= 65536) throw new ArgumentOutOfRangeException(nameof(channel), channel, "channel must be in 0..65535.");
        if (channel < HistoricalChannels && sponsor < HistoricalSponsors)
        {
            uint offset = (uint)(sponsor * 32 + channel);
            return kind switch
            {
                CampaignStream.Contact => CampaignContactBase + offset,
                CampaignStream.Broadcast => CampaignBroadcastBase + offset,
                _ => CampaignBroadcastBase + 16 + offset,
            };
        }
        return (1u << 28) * (uint)(kind + 1) + (uint)sponsor * 65536u + (uint)channel;
    }
}
