using Workbench.Random;

namespace Workbench.Electorate;

/// <summary>
/// The per-voter model of the electorate generator written plainly, one voter at a time: the executable specification
/// of the generator's vector pass (Generator.VoterBlockPass), which computes the same values sixteen voters per vector.
/// Stage numbers match the vector pass's. Both read voter i's words from the same positions of its stream
/// (seed, Voter, i) — the layout of <see cref="Generator.VoterLayout"/> — and do the same single-precision operations in
/// the same order (no fused multiply-add; exp, log, logistic and the normal quantile from <see cref="FloatMath"/>), so a
/// property test (Electorate.VoterModel) holds every output column equal bit for bit, for random seeds, block lengths
/// and coefficients. The coefficients are <see cref="VoterModelSpec"/>'s, rounded to single precision once
/// (<see cref="VoterCoefficients"/>).
/// </summary>
internal static class VoterModel
{
    /// <summary>One voter's values, as stored in the electorate's columns.</summary>
    internal sealed class Voter
    {
        public byte Age, Gender, Education, IncomeQuintile, Urban, Minority, Health;
        public Employment Employment;
        public Half[] BigFive = new Half[Generator.BigFiveCount];
        public Half[] IssuePosition = [], IssueSalience = [];
        public int PartyId, PastVote;
        public byte PastTurnout;
        public Half PartyIdStrength, Interest, Persuadability, DigitalFootprint;
        public byte[] MediaUse = new byte[Generator.PlatformCount];
        public byte TvShow;
        public byte[] HomeProbability = new byte[3];
        public byte AnswersPhone, OpensEmail;
        public byte[] ConsumerInterest = new byte[Generator.ConsumerCount];
    }

    /// <summary>
    /// Voter <paramref name="i"/> of the electorate <paramref name="s"/> describes. <paramref name="householdParty"/> is
    /// the party identification of the first member of the voter's household (−1 for none), or int.MinValue when voter
    /// i is that first member.
    /// </summary>
    public static Voter Draw(Generator.VoterSetting s, int i, int householdParty)
    {
        var e = s.E; var spec = e.Spec; var co = s.Co; var L = s.L;
        int K = L.K, P = spec.Parties.Count;
        int k = e.Constituency[i], h = e.Household[i], nb = e.Neighbourhood[i];
        var voter = new Voter { IssuePosition = new Half[K], IssueSalience = new Half[K] };

        // Stage 1. The voter's words: the first L.Words of its stream, in order; normal deviates by the inverse CDF of
        // open uniforms. The household's shared issue component: word q of the household's stream, sd·Φ⁻¹(u).
        var stream = new RandomStream(s.Seed, StreamIds.Voter, (ulong)i);
        var w = new uint[L.Words];
        for (int t = 0; t < w.Length; t++) w[t] = stream.NextUInt32();
        float U(int slot) => FloatMath.Uniform(w[slot]);
        var z = new float[L.NormalCount];
        for (int t = 0; t < z.Length; t++) z[t] = FloatMath.NormalQuantile(FloatMath.OpenUniform(w[L.Normals + t]));
        var householdStream = new RandomStream(s.Seed, Generator.StreamHouseholdOpinion, (ulong)h);
        var household = new float[K];
        for (int q = 0; q < K; q++) household[q] = co.HouseholdOpinionSd * FloatMath.NormalQuantile(FloatMath.OpenUniform(householdStream.NextUInt32()));

        // Stage 2. Demographic cell (the constituency's IPF table, an alias draw), decomposed as 15·band + 5·education +
        // income; age uniform within the band: its lower end + ⌊word · width / 2³²⌋.
        int cell = s.Cells[k].Sample((w[Generator.UCell] + 0.5) * (1.0 / 4294967296.0));
        int band = cell / 15, education = cell / 5 % 3, income = cell % 5;
        int width = ElectorateSpec.AgeBandUpper[band] - ElectorateSpec.AgeBandLower[band];
        int age = ElectorateSpec.AgeBandLower[band] + (int)(((ulong)w[Generator.UAge] * (ulong)width) >> 32);
        voter.Age = (byte)age; voter.Education = (byte)education; voter.IncomeQuintile = (byte)(income + 1);
        float ageC = (float)(age - Generator.AgeCentre) / Generator.AgeScale, edC = education - 1, incC = income - 2, ageY = age;

        // Stage 3. Context: the probability of living in an urban area, logistic(a + b·urbanity) of the neighbourhood's
        // latent urbanity; the neighbourhood's opinion (stage 6 adds it) and the household's component (stage 1).
        float pUrban = FloatMath.Logistic(co.UrbanIntercept + co.UrbanSlope * s.NeighbourhoodUrbanity[nb]);

        // Stage 4. Issue salience: Dirichlet(α, …, α) as K gammas, normalised. Each gamma's first try is one
        // Marsaglia–Tsang (2000) trial from the voter's slots; a rejected try (every try when α < 1) is redrawn, in issue
        // order, from the voter's fallback stream (seed, VoterRetry, i).
        //   If every gamma rounds to 0 in single precision (possible only for α < 1, whose gammas all come from the
        //   double-precision sampler), the shares are taken in double precision (equal shares if even those are all 0).
        var salience = new float[K];
        var exact = new double[K];
        RandomStream retry = default; bool hasRetry = false;
        for (int q = 0; q < K; q++)
        {
            bool accepted = TryGamma(s.GammaD, s.GammaC, z[L.GammaZ + q], FloatMath.OpenUniform(w[L.GammaU + q]), out float value) && s.Alpha >= 1f;
            exact[q] = value;
            if (!accepted)
            {
                if (!hasRetry) { retry = new RandomStream(s.Seed, Generator.StreamVoterRetry, (ulong)i); hasRetry = true; }
                exact[q] = retry.Gamma(spec.SalienceConcentration);
                value = (float)exact[q];
            }
            salience[q] = value;
        }
        float salienceTotal = 0;
        for (int q = 0; q < K; q++) salienceTotal += salience[q];
        if (salienceTotal != 0f)
            for (int q = 0; q < K; q++) salience[q] /= salienceTotal;
        else
        {
            double exactTotal = 0;
            for (int q = 0; q < K; q++) exactTotal += exact[q];
            for (int q = 0; q < K; q++) salience[q] = exactTotal > 0 ? (float)(exact[q] / exactTotal) : 1f / K;
        }

        // Stage 5. Binary demographics.
        var m = spec.Marginals;
        float female = (float)m.Female;
        float g = U(Generator.UGender);
        voter.Gender = (byte)(g < female ? 0 : g < female + co.OtherGenderShare ? 2 : 1);
        bool urban = U(Generator.UUrban) < pUrban;
        //   Employment: from the retirement age, the retired share is retired (the rest employed); below the student age,
        //   the student share studies; everyone else is unemployed at the local rate (higher in the lowest income
        //   quintile, rising with deprivation), else employed at the employed share, else inactive.
        float dep = e.ConstituencyDeprivation[k];
        float unemployedRate = co.UnemploymentRate * FloatMath.Exp(co.UnemploymentDeprivation * dep);
        if (incC == -2f) unemployedRate *= co.LowIncomeUnemploymentFactor;
        float u0 = U(Generator.UEmployment);
        Employment employment;
        if (ageY >= co.RetirementAge) employment = u0 < co.RetiredShare ? Employment.Retired : Employment.Employed;
        else if (ageY < co.StudentAgeBelow && u0 < co.StudentShare) employment = Employment.Student;
        else if (U(Generator.UEmployment + 1) < unemployedRate) employment = Employment.Unemployed;
        else employment = U(Generator.UEmployment + 2) < co.EmployedShare ? Employment.Employed : Employment.Inactive;
        float minorityShare = (float)Math.Min(1, m.Minority * (urban ? co.MinorityUrbanFactor : co.MinorityRuralFactor));
        bool minority = U(Generator.UMinority) < minorityShare;
        float healthShare = Math.Min(1f, (float)m.Health * (co.HealthBase + co.HealthAgeGradient * (ageY - co.HealthAgeFrom) / co.HealthAgeSpan));
        bool healthy = U(Generator.UHealth) < healthShare;
        voter.Urban = (byte)(urban ? 1 : 0); voter.Employment = employment;
        voter.Minority = (byte)(minority ? 1 : 0); voter.Health = (byte)(healthy ? 1 : 0);
        float urbanF = urban ? 1f : 0f, minorityF = minority ? 1f : 0f, unemployedF = employment == Employment.Unemployed ? 1f : 0f, maleF = voter.Gender == 1 ? 1f : 0f;

        // Stage 6. Big Five: L·z with L the Cholesky factor of their correlations (openness b[0] … neuroticism b[4]).
        var b = new float[Generator.BigFiveCount];
        for (int t = 0; t < b.Length; t++)
        {
            float sum = 0;
            for (int c = 0; c <= t; c++) sum += co.BigFiveFactor[t * b.Length + c] * z[L.BigFive + c];
            b[t] = sum;
        }
        //   Issue positions: the loadings of the issue's kind (economic, cultural, environmental, sovereignty for issues
        //   0, 1, 2, 3, then again from 4) + the neighbourhood's opinion + the household's component + the voter's own.
        var position = new float[K];
        for (int q = 0; q < K; q++)
        {
            float load = (q % 4) switch
            {
                0 => co.EconomicIncome * incC + co.EconomicDeprivation * dep + co.EconomicConscientiousness * b[1] + co.EconomicUnemployed * unemployedF,
                1 => co.CulturalAge * ageC + co.CulturalEducation * edC + co.CulturalUrban * urbanF + co.CulturalMinority * minorityF + co.CulturalOpenness * b[0],
                2 => co.EnvironmentAge * ageC + co.EnvironmentEducation * edC + co.EnvironmentUrban * urbanF + co.EnvironmentOpenness * b[0],
                _ => co.SovereigntyAge * ageC + co.SovereigntyEducation * edC + co.SovereigntyUrban * urbanF,
            };
            position[q] = load + s.NeighbourhoodOpinion[nb * K + q] + household[q] + co.IndividualOpinionSd * z[L.Issue + q];
        }
        //   Linear predictors of the leaf attributes (logit scale; the footprint's and the shows' on the log scale).
        float econ = position[0], cult = K > 1 ? position[1] : 0f, env = K > 2 ? position[2] : 0f;
        float interestX = co.InterestIntercept + co.InterestEducation * edC + co.InterestAge * ageC + co.InterestSd * z[L.Interest];
        var mediaX = new float[Generator.PlatformCount];
        for (int pf = 0; pf < mediaX.Length; pf++)
            mediaX[pf] = co.MediaIntercept[pf] + co.MediaAge[pf] * ageC + co.MediaEducation[pf] * edC + co.MediaSd * z[L.Media + pf];
        float phoneX = co.PhoneIntercept + co.PhoneAge * ageC + co.PhoneSd * z[L.Phone];
        float emailX = co.EmailIntercept + co.EmailEducation * edC + co.EmailAge * ageC + co.EmailSd * z[L.Email];
        float[] consumerX =
        [
            co.OrganicIntercept + co.OrganicEnvironment * env + co.OrganicIncome * incC + co.ConsumerSd * z[L.Consumer],
            co.LuxuryIntercept + co.LuxuryIncome * incC + co.ConsumerSd * z[L.Consumer + 1],
            co.OutdoorIntercept + co.OutdoorCultural * cult + co.OutdoorRural * (1f - urbanF) + co.ConsumerSd * z[L.Consumer + 2],
            co.BettingIntercept + co.BettingMale * maleF + co.BettingEducation * edC + co.ConsumerSd * z[L.Consumer + 3],
        ];
        float footprintX = co.FootprintAge * ageC + co.FootprintSd * z[L.Footprint];
        var showX = new float[Generator.Shows];
        for (int sh = 0; sh < showX.Length; sh++)
        {
            float d0 = econ - co.ShowEconomic[sh], d1 = cult - co.ShowCultural[sh];
            showX[sh] = -(d0 * d0 + d1 * d1);
        }
        for (int t = 0; t < b.Length; t++) voter.BigFive[t] = FloatMath.ToHalf(b[t]);
        for (int q = 0; q < K; q++) { voter.IssuePosition[q] = FloatMath.ToHalf(position[q]); voter.IssueSalience[q] = FloatMath.ToHalf(salience[q]); }

        // Stage 7. Transforms: logistic for interest, media, phone, email and consumer interests; exp for the footprint
        // and the show weights.
        float interest = FloatMath.Logistic(interestX);
        var media = Array.ConvertAll(mediaX, FloatMath.Logistic);
        float phone = FloatMath.Logistic(phoneX), email = FloatMath.Logistic(emailX);
        var consumer = Array.ConvertAll(consumerX, FloatMath.Logistic);
        float footprint = FloatMath.Exp(footprintX);
        var showWeight = Array.ConvertAll(showX, FloatMath.Exp);

        // Stage 8. Policy-only logit over the parties standing in the constituency: u_j = −w·Σ_q s_q (x_q − p_jq)² + c_jk
        // (the squared distance in single precision, the rest in double, rounded to single), weights e^{u_j − max u};
        // two draws by inversion, one for party identification and one for the past vote.
        var vm = e.VoteModel;
        var utility = new float[P];
        float best = float.NegativeInfinity;
        for (int j = 0; j < P; j++)
        {
            if (!vm.Stands[k * P + j]) { utility[j] = float.NegativeInfinity; continue; }
            float distance = 0;
            for (int q = 0; q < K; q++)
            {
                float diff = position[q] - s.PartyPositions[j * K + q];
                distance += salience[q] * diff * diff;
            }
            utility[j] = (float)(-vm.PolicyWeight * distance + vm.ConstituencyOffset[k * P + j]);
            best = Math.Max(best, utility[j]);
        }
        var weight = new float[P];
        for (int j = 0; j < P; j++) weight[j] = float.IsNegativeInfinity(utility[j]) ? 0f : FloatMath.Exp(utility[j] - best);
        int partyPick = Invert(weight, U(Generator.UPartyId)), pastPick = Invert(weight, U(Generator.UPastVote));

        // Stage 9. Party identification: with probability min(1, rate·(base + slope·interest)) the voter identifies with the
        // party of the first draw; a later household member takes the first member's identification with the household
        // partisanship probability. Strength ~ Beta(2, 2), the median of three uniforms (0 without a party).
        bool identifies = U(Generator.UIdentifies) < Math.Min(1f, (float)spec.PartyIdRate * (co.PartyIdBase + co.PartyIdInterest * interest));
        int ownParty = identifies ? partyPick : -1;
        bool follows = U(Generator.UShare) < (float)spec.HouseholdPartisanship;
        int party = householdParty != int.MinValue && follows ? householdParty : ownParty;
        float s0 = U(Generator.UStrength), s1 = U(Generator.UStrength + 1), s2 = U(Generator.UStrength + 2);
        float median = Math.Max(Math.Min(s0, s1), Math.Min(Math.Max(s0, s1), s2));
        float strength = party >= 0 ? median : 0f;

        // Stage 10. Persuadability and the probability of past turnout (logistic).
        float persuadability = FloatMath.Logistic(co.PersuadabilityIntercept + co.PersuadabilityStrength * strength + co.PersuadabilityInterest * interest
            + co.PersuadabilityAgreeableness * b[3] + co.PersuadabilitySd * z[L.Persuade]);
        float turnoutP = FloatMath.Logistic(co.PastTurnoutIntercept + co.PastTurnoutAge * ageC + co.PastTurnoutEducation * edC
            + co.PastTurnoutInterest * (interest - co.PastTurnoutInterestCentre) + co.PastTurnoutStrength * strength);
        voter.PartyId = party; voter.PartyIdStrength = FloatMath.ToHalf(strength);
        voter.Interest = FloatMath.ToHalf(interest); voter.Persuadability = FloatMath.ToHalf(persuadability); voter.DigitalFootprint = FloatMath.ToHalf(footprint);

        // Stage 11. Probabilities as bytes (× 255, rounded half to even); the favourite show, a logit draw by inversion on
        // the show weights; being at home by time of day, by employment (retired and inactive alike) times a per-voter jitter.
        for (int pf = 0; pf < media.Length; pf++) voter.MediaUse[pf] = Generator.Prob255(media[pf]);
        voter.AnswersPhone = Generator.Prob255(phone); voter.OpensEmail = Generator.Prob255(email);
        for (int c = 0; c < consumer.Length; c++) voter.ConsumerInterest[c] = Generator.Prob255(consumer[c]);
        float showTotal = 0;
        for (int sh = 0; sh < showWeight.Length; sh++) showTotal += showWeight[sh];
        float showTarget = U(Generator.UShow) * showTotal, cumulative = 0;
        int show = showWeight.Length - 1; // where rounding puts the target at the total: the last show
        for (int sh = 0; sh < showWeight.Length - 1; sh++)
        {
            cumulative += showWeight[sh];
            if (showTarget < cumulative) { show = sh; break; }
        }
        voter.TvShow = (byte)show;
        float[] home = employment switch
        {
            Employment.Retired or Employment.Inactive => co.HomeRetired,
            Employment.Unemployed => co.HomeUnemployed,
            Employment.Student => co.HomeStudent,
            _ => co.HomeEmployed,
        };
        float jitter = co.HomeJitterLow + co.HomeJitterWidth * U(Generator.UJitter);
        for (int t = 0; t < 3; t++) voter.HomeProbability[t] = Generator.Prob255(home[t] * jitter);

        // Stage 12. Past turnout, and the past vote: a voting partisan's own party with the loyalty probability, else the
        // second policy draw; −1 for abstainers.
        bool voted = U(Generator.UVoted) < turnoutP;
        bool loyal = party >= 0 && U(Generator.ULoyal) < co.PastVoteLoyalty;
        voter.PastTurnout = (byte)(voted ? 1 : 0);
        voter.PastVote = voted ? (loyal ? party : pastPick) : -1;
        return voter;
    }

    /// <summary>One Marsaglia–Tsang (2000) trial for Gamma(d + 1/3) with c = 1/√(9d), from a normal x and an open uniform u.</summary>
    private static bool TryGamma(float d, float c, float x, float u, out float value)
    {
        float t = 1f + c * x;
        float v = t * t * t;
        float x2 = x * x;
        value = d * v;
        if (!(t > 0f)) return false;
        return u < 1f - 0.0331f * x2 * x2 || FloatMath.Log(u) < 0.5f * x2 + d * (1f - v + FloatMath.Log(v));
    }

    /// <summary>
    /// A multinomial-logit draw by inversion: the first party whose cumulative weight exceeds u·Σ (parties of weight 0,
    /// those not standing, are never chosen); where rounding makes u·Σ reach Σ, the last party of positive weight.
    /// </summary>
    private static int Invert(float[] weight, float u)
    {
        float total = 0;
        for (int j = 0; j < weight.Length; j++) total += weight[j];
        float target = u * total, cumulative = 0;
        int choice = 0;
        for (int j = 0; j < weight.Length; j++)
        {
            if (weight[j] <= 0f) continue;
            cumulative += weight[j]; choice = j;
            if (target < cumulative) break;
        }
        return choice;
    }
}

/// <summary>The coefficients of a <see cref="VoterModelSpec"/> rounded to single precision once, as the generator computes with them.</summary>
internal sealed class VoterCoefficients
{
    public readonly float UrbanIntercept, UrbanSlope, HouseholdOpinionSd;
    public readonly float OtherGenderShare, UnemploymentRate, UnemploymentDeprivation, LowIncomeUnemploymentFactor, EmployedShare, StudentAgeBelow, StudentShare,
        RetirementAge, RetiredShare, HealthBase, HealthAgeGradient, HealthAgeFrom, HealthAgeSpan;
    /// <summary>Applied in double precision to the spec's minority share, as the generator always has.</summary>
    public readonly double MinorityUrbanFactor, MinorityRuralFactor;
    /// <summary>The lower-triangular Cholesky factor of the Big Five correlations, row-major 5×5.</summary>
    public readonly float[] BigFiveFactor;
    public readonly float IndividualOpinionSd, EconomicIncome, EconomicDeprivation, EconomicConscientiousness, EconomicUnemployed,
        CulturalAge, CulturalEducation, CulturalUrban, CulturalMinority, CulturalOpenness, EnvironmentAge, EnvironmentEducation, EnvironmentUrban,
        EnvironmentOpenness, SovereigntyAge, SovereigntyEducation, SovereigntyUrban;
    public readonly float InterestIntercept, InterestEducation, InterestAge, InterestSd, MediaSd, PhoneIntercept, PhoneAge, PhoneSd,
        EmailIntercept, EmailEducation, EmailAge, EmailSd, OrganicIntercept, OrganicEnvironment, OrganicIncome, LuxuryIntercept, LuxuryIncome,
        OutdoorIntercept, OutdoorCultural, OutdoorRural, BettingIntercept, BettingMale, BettingEducation, ConsumerSd, FootprintAge, FootprintSd;
    public readonly float[] MediaIntercept, MediaAge, MediaEducation, ShowEconomic, ShowCultural;
    public readonly float PartyIdBase, PartyIdInterest, PersuadabilityIntercept, PersuadabilityStrength, PersuadabilityInterest, PersuadabilityAgreeableness,
        PersuadabilitySd, PastTurnoutIntercept, PastTurnoutAge, PastTurnoutEducation, PastTurnoutInterest, PastTurnoutInterestCentre, PastTurnoutStrength,
        PastVoteLoyalty, HomeJitterLow, HomeJitterWidth;
    public readonly float[] HomeRetired, HomeUnemployed, HomeStudent, HomeEmployed;

    public VoterCoefficients(VoterModelSpec m)
    {
        static float[] F(IReadOnlyList<double> a) => [.. a.Select(x => (float)x)];
        UrbanIntercept = (float)m.UrbanIntercept; UrbanSlope = (float)m.UrbanSlope; HouseholdOpinionSd = (float)m.HouseholdOpinionSd;
        OtherGenderShare = (float)m.OtherGenderShare; UnemploymentRate = (float)m.UnemploymentRate; UnemploymentDeprivation = (float)m.UnemploymentDeprivation;
        LowIncomeUnemploymentFactor = (float)m.LowIncomeUnemploymentFactor; EmployedShare = (float)m.EmployedShare;
        StudentAgeBelow = (float)m.StudentAgeBelow; StudentShare = (float)m.StudentShare; RetirementAge = (float)m.RetirementAge; RetiredShare = (float)m.RetiredShare;
        HealthBase = (float)m.HealthBase; HealthAgeGradient = (float)m.HealthAgeGradient; HealthAgeFrom = (float)m.HealthAgeFrom; HealthAgeSpan = (float)m.HealthAgeSpan;
        MinorityUrbanFactor = m.MinorityUrbanFactor; MinorityRuralFactor = m.MinorityRuralFactor;
        BigFiveFactor = F(MultivariateNormal.FromCorrelation(new double[Generator.BigFiveCount], [1, 1, 1, 1, 1], m.BigFiveCorrelationMatrix()).Factor);
        IndividualOpinionSd = (float)m.IndividualOpinionSd;
        EconomicIncome = (float)m.EconomicIncome; EconomicDeprivation = (float)m.EconomicDeprivation;
        EconomicConscientiousness = (float)m.EconomicConscientiousness; EconomicUnemployed = (float)m.EconomicUnemployed;
        CulturalAge = (float)m.CulturalAge; CulturalEducation = (float)m.CulturalEducation; CulturalUrban = (float)m.CulturalUrban;
        CulturalMinority = (float)m.CulturalMinority; CulturalOpenness = (float)m.CulturalOpenness;
        EnvironmentAge = (float)m.EnvironmentAge; EnvironmentEducation = (float)m.EnvironmentEducation; EnvironmentUrban = (float)m.EnvironmentUrban;
        EnvironmentOpenness = (float)m.EnvironmentOpenness;
        SovereigntyAge = (float)m.SovereigntyAge; SovereigntyEducation = (float)m.SovereigntyEducation; SovereigntyUrban = (float)m.SovereigntyUrban;
        InterestIntercept = (float)m.InterestIntercept; InterestEducation = (float)m.InterestEducation; InterestAge = (float)m.InterestAge; InterestSd = (float)m.InterestSd;
        MediaIntercept = F(m.MediaIntercept); MediaAge = F(m.MediaAge); MediaEducation = F(m.MediaEducation); MediaSd = (float)m.MediaSd;
        PhoneIntercept = (float)m.PhoneIntercept; PhoneAge = (float)m.PhoneAge; PhoneSd = (float)m.PhoneSd;
        EmailIntercept = (float)m.EmailIntercept; EmailEducation = (float)m.EmailEducation; EmailAge = (float)m.EmailAge; EmailSd = (float)m.EmailSd;
        OrganicIntercept = (float)m.OrganicIntercept; OrganicEnvironment = (float)m.OrganicEnvironment; OrganicIncome = (float)m.OrganicIncome;
        LuxuryIntercept = (float)m.LuxuryIntercept; LuxuryIncome = (float)m.LuxuryIncome;
        OutdoorIntercept = (float)m.OutdoorIntercept; OutdoorCultural = (float)m.OutdoorCultural; OutdoorRural = (float)m.OutdoorRural;
        BettingIntercept = (float)m.BettingIntercept; BettingMale = (float)m.BettingMale; BettingEducation = (float)m.BettingEducation;
        ConsumerSd = (float)m.ConsumerSd; FootprintAge = (float)m.FootprintAge; FootprintSd = (float)m.FootprintSd;
        ShowEconomic = F(m.ShowEconomic); ShowCultural = F(m.ShowCultural);
        PartyIdBase = (float)m.PartyIdBase; PartyIdInterest = (float)m.PartyIdInterest;
        PersuadabilityIntercept = (float)m.PersuadabilityIntercept; PersuadabilityStrength = (float)m.PersuadabilityStrength;
        PersuadabilityInterest = (float)m.PersuadabilityInterest; PersuadabilityAgreeableness = (float)m.PersuadabilityAgreeableness; PersuadabilitySd = (float)m.PersuadabilitySd;
        PastTurnoutIntercept = (float)m.PastTurnoutIntercept; PastTurnoutAge = (float)m.PastTurnoutAge; PastTurnoutEducation = (float)m.PastTurnoutEducation;
        PastTurnoutInterest = (float)m.PastTurnoutInterest; PastTurnoutInterestCentre = (float)m.PastTurnoutInterestCentre; PastTurnoutStrength = (float)m.PastTurnoutStrength;
        PastVoteLoyalty = (float)m.PastVoteLoyalty;
        HomeRetired = F(m.HomeRetired); HomeUnemployed = F(m.HomeUnemployed); HomeStudent = F(m.HomeStudent); HomeEmployed = F(m.HomeEmployed);
        HomeJitterLow = (float)m.HomeJitterLow; HomeJitterWidth = (float)m.HomeJitterWidth;
    }
}
