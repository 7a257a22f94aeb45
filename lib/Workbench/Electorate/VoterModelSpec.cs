using System.ComponentModel;
using Workbench.Random;

namespace Workbench.Electorate;

/// <summary>
/// Every coefficient of the per-voter model of the electorate generator (MODEL.md §1): how a voter's demographics,
/// personality, issue positions, media diet, contactability, consumer interests, party identification, persuadability,
/// past turnout and past vote follow from the demographic cell, the neighbourhood, the household and the voter's own
/// random draws. <see cref="VoterModel"/> is the model written plainly, one voter at a time (the executable
/// specification); the generator's vector pass reads the same coefficients and a property test holds the two equal bit
/// for bit. <see cref="Default"/> is what every preset uses.
/// </summary>
/// <remarks>
/// The predictors are centred: age as (age − 45)/10 (decades from 45), education as level − 1 (−1 low, 0 middle,
/// 1 high), income as quintile − 3 (−2 … 2); urban, minority, unemployed and male are 1/0 indicators; the Big Five are
/// standard normal. Linear predictors are on the logit scale unless a parameter says otherwise. The generator computes
/// in single precision: each coefficient is rounded to the nearest float once, when a generation starts.
/// A source is "assumption" where no published figure calibrates the value: a plausible default of this workbench,
/// to be varied (pass a modified copy to <see cref="Generator.Generate(ElectorateSpec, int, ulong, VoterModelSpec, int, IProgress{GenerationProgress}?, CancellationToken)"/>).
/// </remarks>
[Description("The per-voter model of the electorate generator (docs/electorate.md, \"The voter model as a specification\"). Every preset uses these defaults; "
    + "predictors are centred: age (age − 45)/10, education level − 1, income quintile − 3; indicators are 1/0; logit scale unless stated.")]
public sealed record VoterModelSpec
{
    private const string Assumption = "assumption";

    /// <summary>The coefficients every preset uses.</summary>
    public static VoterModelSpec Default { get; } = new();

    // ---- stage 2: the constituencies' demographic cells (the IPF seed table and the marginal tilts) ----
    //
    // Each constituency's joint table of age band × education × income quintile is fitted by iterative proportional
    // fitting to the spec's national marginals, tilted by the constituency's latent age, urbanity and deprivation,
    // from a seed table whose log cell weights carry the association structure below. Centred indices: age band
    // a − 2.5 (0 … 5), education level d − 1, income quintile q − 2.

    /// <summary>Seed table: log odds-ratio slope of (age band × education level); negative, so younger cohorts are more educated.</summary>
    [Param("Demographic seed table: log odds-ratio slope of age band × education level", Min = -1, Max = 1,
        Citation = "assumption: negative, so younger cohorts are more educated")]
    public double SeedAgeEducation { get; init; } = -0.25;
    /// <summary>Seed table: log odds-ratio slope of (education level × income quintile); education strongly tied to income.</summary>
    [Param("Demographic seed table: log odds-ratio slope of education level × income quintile", Min = -1, Max = 1,
        Citation = "assumption: positive and the strongest association, education tied to income")]
    public double SeedEducationIncome { get; init; } = 0.45;
    /// <summary>
    /// Seed table: log weight per squared age band (from the middle) of the income quintiles above the median; negative,
    /// so the higher incomes peak in mid-life.
    /// </summary>
    [Param("Demographic seed table: log weight of above-median income per squared age band from the middle", Min = -1, Max = 1,
        Citation = "assumption: negative, so higher incomes peak in mid-life")]
    public double SeedAgeSquaredHighIncome { get; init; } = -0.06;
    /// <summary>Seed table: log odds-ratio slope of (age band × income quintile); older voters slightly richer.</summary>
    [Param("Demographic seed table: log odds-ratio slope of age band × income quintile", Min = -1, Max = 1,
        Citation = "assumption: small and positive, older voters slightly richer")]
    public double SeedAgeIncome { get; init; } = 0.05;
    /// <summary>Log shift of a constituency's age-band target per band (from the middle) per unit of its latent age.</summary>
    [Param("Age-band tilt: log shift per band per unit of constituency latent age", Min = -1, Max = 1,
        Citation = "assumption: constituencies of higher latent age have more older voters")]
    public double AgeTiltLatentAge { get; init; } = 0.18;
    /// <summary>Log shift of a constituency's age-band target per band (from the middle) per unit of its urbanity.</summary>
    [Param("Age-band tilt: log shift per band per unit of constituency urbanity", Min = -1, Max = 1,
        Citation = "assumption: negative, so urban constituencies are younger")]
    public double AgeTiltUrbanity { get; init; } = -0.08;
    /// <summary>Log shift of a constituency's education target per level (from the middle) per unit of its urbanity.</summary>
    [Param("Education tilt: log shift per level per unit of constituency urbanity", Min = -1, Max = 1,
        Citation = "assumption: urban constituencies are more educated")]
    public double EducationTiltUrbanity { get; init; } = 0.25;
    /// <summary>Log shift of a constituency's education target per level (from the middle) per unit of its deprivation.</summary>
    [Param("Education tilt: log shift per level per unit of constituency deprivation", Min = -1, Max = 1,
        Citation = "assumption: negative, so deprived constituencies are less educated")]
    public double EducationTiltDeprivation { get; init; } = -0.30;
    /// <summary>Log shift of a constituency's income target per quintile (from the middle) per unit of its deprivation.</summary>
    [Param("Income tilt: log shift per quintile per unit of constituency deprivation", Min = -1, Max = 1,
        Citation = "assumption: negative, so deprived constituencies are poorer")]
    public double IncomeTiltDeprivation { get; init; } = -0.30;
    /// <summary>Log shift of a constituency's income target per quintile (from the middle) per unit of its urbanity.</summary>
    [Param("Income tilt: log shift per quintile per unit of constituency urbanity", Min = -1, Max = 1,
        Citation = "assumption: urban constituencies are slightly richer")]
    public double IncomeTiltUrbanity { get; init; } = 0.10;

    // ---- stage 3: neighbourhood and household context ----

    /// <summary>Intercept of the logit of living in an urban area, at the neighbourhood's latent urbanity 0.</summary>
    [Param("Urban probability: logit intercept (at neighbourhood urbanity 0)", Min = -5, Max = 5, Citation = Assumption)]
    public double UrbanIntercept { get; init; } = 1.0;
    /// <summary>Change of the urban logit per standard unit of the neighbourhood's latent urbanity.</summary>
    [Param("Urban probability: logit change per unit of neighbourhood urbanity", Min = 0, Max = 5, Citation = Assumption)]
    public double UrbanSlope { get; init; } = 1.2;
    /// <summary>Standard deviation of the issue-position component household members share (per issue).</summary>
    [Param("Standard deviation of the household-shared component of each issue position", Min = 0, Max = 2, Unit = "issue scale", Citation = Assumption)]
    public double HouseholdOpinionSd { get; init; } = 0.5;

    // ---- stage 5: binary demographics ----

    /// <summary>Share of voters of other or unstated gender (drawn after the spec's female share).</summary>
    [Param("Share of voters of other or unstated gender", Min = 0, Max = 0.1, Unit = "share", Citation = Assumption)]
    public double OtherGenderShare { get; init; } = 0.005;
    /// <summary>Unemployment rate of working-age voters at constituency deprivation 0 (above the lowest income quintile).</summary>
    [Param("Unemployment rate at constituency deprivation 0", Min = 0, Max = 0.5, Unit = "share", Citation = Assumption)]
    public double UnemploymentRate { get; init; } = 0.05;
    /// <summary>Log change of the unemployment rate per standard unit of constituency deprivation.</summary>
    [Param("Log change of the unemployment rate per unit of constituency deprivation", Min = 0, Max = 2, Citation = Assumption)]
    public double UnemploymentDeprivation { get; init; } = 0.4;
    /// <summary>Multiplier of the unemployment rate for voters in the lowest income quintile.</summary>
    [Param("Unemployment rate multiplier in the lowest income quintile", Min = 1, Max = 5, Citation = Assumption)]
    public double LowIncomeUnemploymentFactor { get; init; } = 2;
    /// <summary>Share employed among working-age voters who are not unemployed (the rest are inactive).</summary>
    [Param("Share employed among working-age voters not unemployed (the rest inactive)", Min = 0, Max = 1, Unit = "share", Citation = Assumption)]
    public double EmployedShare { get; init; } = 0.86;
    /// <summary>Voters younger than this may be students.</summary>
    [Param("Age below which voters may be students", Min = 18, Max = 40, Unit = "years", Citation = Assumption)]
    public double StudentAgeBelow { get; init; } = 25;
    /// <summary>Share of students among voters younger than <see cref="StudentAgeBelow"/>.</summary>
    [Param("Share of students among the young", Min = 0, Max = 1, Unit = "share", Citation = Assumption)]
    public double StudentShare { get; init; } = 0.40;
    /// <summary>Voters of this age and older may be retired.</summary>
    [Param("Age from which voters may be retired", Min = 40, Max = 95, Unit = "years", Citation = Assumption)]
    public double RetirementAge { get; init; } = 66;
    /// <summary>Share retired among voters of retirement age (the rest are employed).</summary>
    [Param("Share retired among voters of retirement age (the rest employed)", Min = 0, Max = 1, Unit = "share", Citation = Assumption)]
    public double RetiredShare { get; init; } = 0.88;
    /// <summary>The minority share of urban voters as a multiple of the spec's minority share (capped at 1).</summary>
    [Param("Minority share of urban voters, as a multiple of the national share", Min = 0, Max = 10, Citation = Assumption)]
    public double MinorityUrbanFactor { get; init; } = 1.25;
    /// <summary>The minority share of rural voters as a multiple of the spec's minority share (capped at 1).</summary>
    [Param("Minority share of rural voters, as a multiple of the national share", Min = 0, Max = 10, Citation = Assumption)]
    public double MinorityRuralFactor { get; init; } = 0.45;
    /// <summary>Health-condition probability at age <see cref="HealthAgeFrom"/>, as a multiple of the spec's health share.</summary>
    [Param("Health-condition probability at the youngest age, as a multiple of the national share", Min = 0, Max = 5, Citation = Assumption)]
    public double HealthBase { get; init; } = 0.4;
    /// <summary>Rise of the health multiple over <see cref="HealthAgeSpan"/> years: share × (base + gradient·(age − from)/span), capped at 1.</summary>
    [Param("Rise of the health-condition multiple over the age span", Min = 0, Max = 5, Citation = Assumption)]
    public double HealthAgeGradient { get; init; } = 1.4;
    /// <summary>Age at which the health gradient starts.</summary>
    [Param("Age at which the health-condition gradient starts", Min = 0, Max = 95, Unit = "years", Citation = Assumption)]
    public double HealthAgeFrom { get; init; } = 18;
    /// <summary>Years over which the health multiple rises by <see cref="HealthAgeGradient"/>.</summary>
    [Param("Years over which the health-condition multiple rises by the gradient", Min = 1, Max = 100, Unit = "years", Citation = Assumption)]
    public double HealthAgeSpan { get; init; } = 77;

    // ---- stage 6: Big Five and issue positions ----

    /// <summary>
    /// Correlations of the Big Five (openness, conscientiousness, extraversion, agreeableness, neuroticism): the upper
    /// triangle row by row, (O,C), (O,E), (O,A), (O,N), (C,E), (C,A), (C,N), (E,A), (E,N), (A,N). Must form a positive
    /// definite matrix.
    /// </summary>
    [Param("Big Five correlations, upper triangle row by row: OC, OE, OA, ON, CE, CA, CN, EA, EN, AN (positive definite)", Min = -0.95, Max = 0.95,
        Citation = "van der Linden, te Nijenhuis & Bakker (2010) J. Res. Pers. 44(3): of the order of their meta-analytic estimates")]
    public IReadOnlyList<double> BigFiveCorrelations { get; init; } = [0.15, 0.25, 0.10, -0.10, 0.20, 0.25, -0.25, 0.15, -0.20, -0.25];
    /// <summary>Standard deviation of the voter's own component of every issue position.</summary>
    [Param("Standard deviation of the individual component of each issue position", Min = 0, Max = 3, Unit = "issue scale", Citation = Assumption)]
    public double IndividualOpinionSd { get; init; } = 0.75;
    /// <summary>Economic issues (issue 0, 4, …; right is positive): loading of centred income.</summary>
    [Param("Economic issue (0, 4, …): loading of income", Min = -2, Max = 2, Citation = Assumption)]
    public double EconomicIncome { get; init; } = 0.22;
    /// <summary>Economic issues: loading of the constituency's deprivation.</summary>
    [Param("Economic issue: loading of constituency deprivation", Min = -2, Max = 2, Citation = Assumption)]
    public double EconomicDeprivation { get; init; } = -0.15;
    /// <summary>Economic issues: loading of conscientiousness.</summary>
    [Param("Economic issue: loading of conscientiousness", Min = -2, Max = 2, Citation = Assumption)]
    public double EconomicConscientiousness { get; init; } = 0.08;
    /// <summary>Economic issues: loading of being unemployed.</summary>
    [Param("Economic issue: loading of being unemployed", Min = -2, Max = 2, Citation = Assumption)]
    public double EconomicUnemployed { get; init; } = -0.15;
    /// <summary>Cultural issues (issue 1, 5, …; restrictive is positive): loading of centred age (per decade).</summary>
    [Param("Cultural issue (1, 5, …): loading of age (per decade)", Min = -2, Max = 2, Citation = Assumption)]
    public double CulturalAge { get; init; } = 0.14;
    /// <summary>Cultural issues: loading of centred education.</summary>
    [Param("Cultural issue: loading of education", Min = -2, Max = 2, Citation = Assumption)]
    public double CulturalEducation { get; init; } = -0.30;
    /// <summary>Cultural issues: loading of living in an urban area.</summary>
    [Param("Cultural issue: loading of urban", Min = -2, Max = 2, Citation = Assumption)]
    public double CulturalUrban { get; init; } = -0.20;
    /// <summary>Cultural issues: loading of belonging to a minority.</summary>
    [Param("Cultural issue: loading of minority", Min = -2, Max = 2, Citation = Assumption)]
    public double CulturalMinority { get; init; } = -0.35;
    /// <summary>Cultural issues: loading of openness.</summary>
    [Param("Cultural issue: loading of openness", Min = -2, Max = 2, Citation = Assumption)]
    public double CulturalOpenness { get; init; } = -0.20;
    /// <summary>Environmental issues (issue 2, 6, …; pro-environment is positive): loading of centred age (per decade).</summary>
    [Param("Environmental issue (2, 6, …): loading of age (per decade)", Min = -2, Max = 2, Citation = Assumption)]
    public double EnvironmentAge { get; init; } = -0.10;
    /// <summary>Environmental issues: loading of centred education.</summary>
    [Param("Environmental issue: loading of education", Min = -2, Max = 2, Citation = Assumption)]
    public double EnvironmentEducation { get; init; } = 0.25;
    /// <summary>Environmental issues: loading of living in an urban area.</summary>
    [Param("Environmental issue: loading of urban", Min = -2, Max = 2, Citation = Assumption)]
    public double EnvironmentUrban { get; init; } = 0.15;
    /// <summary>Environmental issues: loading of openness.</summary>
    [Param("Environmental issue: loading of openness", Min = -2, Max = 2, Citation = Assumption)]
    public double EnvironmentOpenness { get; init; } = 0.18;
    /// <summary>Sovereignty issues (issue 3, 7, …; national sovereignty is positive): loading of centred age (per decade).</summary>
    [Param("Sovereignty issue (3, 7, …): loading of age (per decade)", Min = -2, Max = 2, Citation = Assumption)]
    public double SovereigntyAge { get; init; } = 0.12;
    /// <summary>Sovereignty issues: loading of centred education.</summary>
    [Param("Sovereignty issue: loading of education", Min = -2, Max = 2, Citation = Assumption)]
    public double SovereigntyEducation { get; init; } = -0.25;
    /// <summary>Sovereignty issues: loading of living in an urban area.</summary>
    [Param("Sovereignty issue: loading of urban", Min = -2, Max = 2, Citation = Assumption)]
    public double SovereigntyUrban { get; init; } = -0.10;

    // ---- stage 6: leaf predictors (logit scale; stage 7 transforms them) ----

    /// <summary>Political interest: logit intercept.</summary>
    [Param("Political interest: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double InterestIntercept { get; init; } = -0.2;
    /// <summary>Political interest: logit change per education level.</summary>
    [Param("Political interest: loading of education", Min = -3, Max = 3, Citation = Assumption)]
    public double InterestEducation { get; init; } = 0.45;
    /// <summary>Political interest: logit change per decade of age.</summary>
    [Param("Political interest: loading of age (per decade)", Min = -3, Max = 3, Citation = Assumption)]
    public double InterestAge { get; init; } = 0.20;
    /// <summary>Political interest: standard deviation of the individual logit component.</summary>
    [Param("Political interest: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double InterestSd { get; init; } = 0.8;
    /// <summary>Media use, per platform (Facebook, Instagram, YouTube, TikTok, X, TV news, print): logit intercept.</summary>
    [Param("Media use per platform (Facebook, Instagram, YouTube, TikTok, X, TV news, print): logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public IReadOnlyList<double> MediaIntercept { get; init; } = [0.6, -0.2, 0.9, -1.0, -1.6, 0.4, -1.0];
    /// <summary>Media use per platform: logit change per decade of age.</summary>
    [Param("Media use per platform: loading of age (per decade)", Min = -3, Max = 3, Citation = Assumption)]
    public IReadOnlyList<double> MediaAge { get; init; } = [-0.05, -0.55, -0.30, -0.75, -0.25, 0.45, 0.45];
    /// <summary>Media use per platform: logit change per education level.</summary>
    [Param("Media use per platform: loading of education", Min = -3, Max = 3, Citation = Assumption)]
    public IReadOnlyList<double> MediaEducation { get; init; } = [-0.05, 0.10, 0.05, -0.10, 0.35, 0.00, 0.35];
    /// <summary>Media use: standard deviation of the individual logit component (each platform its own draw).</summary>
    [Param("Media use: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double MediaSd { get; init; } = 0.6;
    /// <summary>Answering the phone: logit intercept.</summary>
    [Param("Answers the phone: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double PhoneIntercept { get; init; } = -0.6;
    /// <summary>Answering the phone: logit change per decade of age.</summary>
    [Param("Answers the phone: loading of age (per decade)", Min = -3, Max = 3, Citation = Assumption)]
    public double PhoneAge { get; init; } = 0.35;
    /// <summary>Answering the phone: standard deviation of the individual logit component.</summary>
    [Param("Answers the phone: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double PhoneSd { get; init; } = 0.5;
    /// <summary>Opening email: logit intercept.</summary>
    [Param("Opens email: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double EmailIntercept { get; init; } = -0.2;
    /// <summary>Opening email: logit change per education level.</summary>
    [Param("Opens email: loading of education", Min = -3, Max = 3, Citation = Assumption)]
    public double EmailEducation { get; init; } = 0.3;
    /// <summary>Opening email: logit change per decade of age.</summary>
    [Param("Opens email: loading of age (per decade)", Min = -3, Max = 3, Citation = Assumption)]
    public double EmailAge { get; init; } = -0.1;
    /// <summary>Opening email: standard deviation of the individual logit component.</summary>
    [Param("Opens email: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double EmailSd { get; init; } = 0.5;
    /// <summary>Consumer interest in organic food: logit intercept.</summary>
    [Param("Organic-food interest: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double OrganicIntercept { get; init; } = -1.0;
    /// <summary>Consumer interest in organic food: loading of the environmental issue position (issue 2; 0 with fewer issues).</summary>
    [Param("Organic-food interest: loading of the environmental position (issue 2)", Min = -3, Max = 3, Citation = Assumption)]
    public double OrganicEnvironment { get; init; } = 0.8;
    /// <summary>Consumer interest in organic food: loading of centred income.</summary>
    [Param("Organic-food interest: loading of income", Min = -3, Max = 3, Citation = Assumption)]
    public double OrganicIncome { get; init; } = 0.25;
    /// <summary>Consumer interest in luxury goods: logit intercept.</summary>
    [Param("Luxury-goods interest: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double LuxuryIntercept { get; init; } = -1.6;
    /// <summary>Consumer interest in luxury goods: loading of centred income.</summary>
    [Param("Luxury-goods interest: loading of income", Min = -3, Max = 3, Citation = Assumption)]
    public double LuxuryIncome { get; init; } = 0.6;
    /// <summary>Consumer interest in outdoor pursuits and hunting: logit intercept.</summary>
    [Param("Outdoor/hunting interest: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double OutdoorIntercept { get; init; } = -1.5;
    /// <summary>Consumer interest in outdoor pursuits and hunting: loading of the cultural issue position (issue 1; 0 with one issue).</summary>
    [Param("Outdoor/hunting interest: loading of the cultural position (issue 1)", Min = -3, Max = 3, Citation = Assumption)]
    public double OutdoorCultural { get; init; } = 0.5;
    /// <summary>Consumer interest in outdoor pursuits and hunting: loading of living in a rural area.</summary>
    [Param("Outdoor/hunting interest: loading of rural", Min = -3, Max = 3, Citation = Assumption)]
    public double OutdoorRural { get; init; } = 1.0;
    /// <summary>Consumer interest in sports betting: logit intercept.</summary>
    [Param("Sports-betting interest: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double BettingIntercept { get; init; } = -1.6;
    /// <summary>Consumer interest in sports betting: loading of being male.</summary>
    [Param("Sports-betting interest: loading of male", Min = -3, Max = 3, Citation = Assumption)]
    public double BettingMale { get; init; } = 0.6;
    /// <summary>Consumer interest in sports betting: loading of centred education.</summary>
    [Param("Sports-betting interest: loading of education", Min = -3, Max = 3, Citation = Assumption)]
    public double BettingEducation { get; init; } = -0.2;
    /// <summary>Consumer interests: standard deviation of the individual logit component (each interest its own draw).</summary>
    [Param("Consumer interests: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double ConsumerSd { get; init; } = 0.5;
    /// <summary>Digital footprint: change of its log per decade of age (the footprint is relative, median 1 at age 45).</summary>
    [Param("Digital footprint: change of its log per decade of age", Min = -3, Max = 3, Citation = Assumption)]
    public double FootprintAge { get; init; } = -0.25;
    /// <summary>Digital footprint: standard deviation of its log.</summary>
    [Param("Digital footprint: standard deviation of its log", Min = 0, Max = 3, Citation = Assumption)]
    public double FootprintSd { get; init; } = 0.6;
    /// <summary>Position of each of the six TV shows on the economic issue (issue 0): viewers choose by a logit on e^{−distance²}.</summary>
    [Param("TV shows (six): position on the economic issue", Min = -3, Max = 3, Unit = "issue scale", Citation = Assumption)]
    public IReadOnlyList<double> ShowEconomic { get; init; } = [-0.8, -0.3, 0.0, 0.3, 0.8, 0.0];
    /// <summary>Position of each of the six TV shows on the cultural issue (issue 1).</summary>
    [Param("TV shows (six): position on the cultural issue", Min = -3, Max = 3, Unit = "issue scale", Citation = Assumption)]
    public IReadOnlyList<double> ShowCultural { get; init; } = [-0.6, 0.2, 0.0, -0.2, 0.7, 0.9];

    // ---- stages 9–12: party identification, persuadability, past turnout and vote, being at home ----

    /// <summary>Probability of a party identification as a multiple of the spec's rate, at political interest 0 (capped at 1).</summary>
    [Param("Party identification: multiple of the spec's rate at interest 0", Min = 0, Max = 3, Citation = Assumption)]
    public double PartyIdBase { get; init; } = 0.7;
    /// <summary>Rise of that multiple with political interest (0..1).</summary>
    [Param("Party identification: rise of the multiple with interest (0..1)", Min = 0, Max = 3, Citation = Assumption)]
    public double PartyIdInterest { get; init; } = 0.6;
    /// <summary>Persuadability: logit intercept.</summary>
    [Param("Persuadability: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double PersuadabilityIntercept { get; init; } = 0.2;
    /// <summary>Persuadability: loading of the strength of party identification (0..1).</summary>
    [Param("Persuadability: loading of party-identification strength", Min = -5, Max = 5, Citation = Assumption)]
    public double PersuadabilityStrength { get; init; } = -1.6;
    /// <summary>Persuadability: loading of political interest (0..1).</summary>
    [Param("Persuadability: loading of interest", Min = -5, Max = 5, Citation = Assumption)]
    public double PersuadabilityInterest { get; init; } = -0.8;
    /// <summary>Persuadability: loading of agreeableness.</summary>
    [Param("Persuadability: loading of agreeableness", Min = -3, Max = 3, Citation = Assumption)]
    public double PersuadabilityAgreeableness { get; init; } = 0.25;
    /// <summary>Persuadability: standard deviation of the individual logit component.</summary>
    [Param("Persuadability: standard deviation of the individual component", Min = 0, Max = 3, Citation = Assumption)]
    public double PersuadabilitySd { get; init; } = 0.6;
    /// <summary>Past turnout: logit intercept.</summary>
    [Param("Past turnout: logit intercept", Min = -5, Max = 5, Citation = Assumption)]
    public double PastTurnoutIntercept { get; init; } = 0.3;
    /// <summary>Past turnout: logit change per decade of age.</summary>
    [Param("Past turnout: loading of age (per decade)", Min = -3, Max = 3, Citation = Assumption)]
    public double PastTurnoutAge { get; init; } = 0.25;
    /// <summary>Past turnout: logit change per education level.</summary>
    [Param("Past turnout: loading of education", Min = -3, Max = 3, Citation = Assumption)]
    public double PastTurnoutEducation { get; init; } = 0.3;
    /// <summary>Past turnout: loading of political interest, centred at <see cref="PastTurnoutInterestCentre"/>.</summary>
    [Param("Past turnout: loading of interest (centred)", Min = -5, Max = 5, Citation = Assumption)]
    public double PastTurnoutInterest { get; init; } = 1.6;
    /// <summary>Past turnout: the interest at which its loading is centred.</summary>
    [Param("Past turnout: centre of interest", Min = 0, Max = 1, Citation = Assumption)]
    public double PastTurnoutInterestCentre { get; init; } = 0.5;
    /// <summary>Past turnout: loading of the strength of party identification.</summary>
    [Param("Past turnout: loading of party-identification strength", Min = -5, Max = 5, Citation = Assumption)]
    public double PastTurnoutStrength { get; init; } = 0.6;
    /// <summary>Share of partisans who voted whose past vote was their party (the others' past vote is a policy-only logit draw).</summary>
    [Param("Past vote: share of voting partisans who voted for their party", Min = 0, Max = 1, Unit = "share", Citation = Assumption)]
    public double PastVoteLoyalty { get; init; } = 0.8;
    /// <summary>Probability of being at home (morning, afternoon, evening) of retired and inactive voters, before the jitter.</summary>
    [Param("At home (morning, afternoon, evening): retired and inactive", Min = 0, Max = 1, Unit = "probability", Citation = Assumption)]
    public IReadOnlyList<double> HomeRetired { get; init; } = [0.75, 0.70, 0.85];
    /// <summary>Probability of being at home (morning, afternoon, evening) of unemployed voters.</summary>
    [Param("At home (morning, afternoon, evening): unemployed", Min = 0, Max = 1, Unit = "probability", Citation = Assumption)]
    public IReadOnlyList<double> HomeUnemployed { get; init; } = [0.65, 0.60, 0.80];
    /// <summary>Probability of being at home (morning, afternoon, evening) of students.</summary>
    [Param("At home (morning, afternoon, evening): students", Min = 0, Max = 1, Unit = "probability", Citation = Assumption)]
    public IReadOnlyList<double> HomeStudent { get; init; } = [0.45, 0.35, 0.60];
    /// <summary>Probability of being at home (morning, afternoon, evening) of employed voters.</summary>
    [Param("At home (morning, afternoon, evening): employed", Min = 0, Max = 1, Unit = "probability", Citation = Assumption)]
    public IReadOnlyList<double> HomeEmployed { get; init; } = [0.20, 0.18, 0.72];
    /// <summary>Lowest per-voter multiplier of the at-home probabilities (uniform on [low, low + width)).</summary>
    [Param("At home: lowest per-voter multiplier", Min = 0, Max = 2, Citation = Assumption)]
    public double HomeJitterLow { get; init; } = 0.85;
    /// <summary>Width of the per-voter multiplier of the at-home probabilities.</summary>
    [Param("At home: width of the per-voter multiplier", Min = 0, Max = 2, Citation = Assumption)]
    public double HomeJitterWidth { get; init; } = 0.3;

    /// <summary>
    /// Every problem at once, with JSON paths under <paramref name="path"/>: ranges, the lengths of the per-platform (7),
    /// per-show (6), per-time-of-day (3) and correlation (10) arrays, and a positive definite Big Five correlation matrix.
    /// </summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        void Length(IReadOnlyList<double>? a, string name, int n)
        {
            if (a is null || a.Count != n) errors.Add(new ValidationError($"{path}.{name}", $"needs {n} values; it has {a?.Count ?? 0}."));
        }
        Length(BigFiveCorrelations, "bigFiveCorrelations", 10);
        Length(MediaIntercept, "mediaIntercept", PlatformCount); Length(MediaAge, "mediaAge", PlatformCount); Length(MediaEducation, "mediaEducation", PlatformCount);
        Length(ShowEconomic, "showEconomic", ShowCount); Length(ShowCultural, "showCultural", ShowCount);
        Length(HomeRetired, "homeRetired", 3); Length(HomeUnemployed, "homeUnemployed", 3); Length(HomeStudent, "homeStudent", 3); Length(HomeEmployed, "homeEmployed", 3);
        if (errors.Count > 0) return errors;
        Parameters.CheckRanges(this, path, errors);
        if (errors.Count == 0 && !IsPositiveDefinite(BigFiveCorrelationMatrix()))
            errors.Add(new ValidationError($"{path}.bigFiveCorrelations", "the correlations do not form a positive definite matrix."));
        return errors;
    }

    /// <summary>This spec, or an <see cref="SpecValidationException"/> listing every problem.</summary>
    public VoterModelSpec EnsureValid()
    {
        Parameters.ThrowIfAny(Validate());
        return this;
    }

    internal const int PlatformCount = 7, ShowCount = 6;

    /// <summary>The 5×5 Big Five correlation matrix from <see cref="BigFiveCorrelations"/>.</summary>
    internal double[,] BigFiveCorrelationMatrix()
    {
        var r = new double[5, 5];
        for (int i = 0, p = 0; i < 5; i++)
        {
            r[i, i] = 1;
            for (int j = i + 1; j < 5; j++, p++) r[i, j] = r[j, i] = BigFiveCorrelations[p];
        }
        return r;
    }

    private static bool IsPositiveDefinite(double[,] a)
    {
        try { _ = new MultivariateNormal(new double[a.GetLength(0)], a); return true; }
        catch (ArgumentException) { return false; }
    }
}
