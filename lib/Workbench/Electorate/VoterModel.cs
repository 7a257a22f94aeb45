using Workbench.Random;

namespace Workbench.Electorate;

/// <summary>
/// The per-voter model of the electorate generator written plainly, one voter at a time: the executable specification
/// of the generator's vector pass (Generator.VoterBlockPass), which computes the same values sixteen voters per vector.
/// Its stages are methods with the vector pass's stage numbers and method names (RandomWords, CellAndAge, …, PastVote).
/// Both read voter i's words from the same positions of its stream (seed, Voter, i) — the layout of
/// <see cref="Generator.VoterLayout"/> — and do the same single-precision operations in the same order (no fused
/// multiply-add; exp, log, logistic and the normal quantile from <see cref="FloatMath"/>), so a property test
/// (Electorate.VoterModel) holds every output column equal bit for bit, for random seeds, block lengths and
/// coefficients. The coefficients are <see cref="VoterModelSpec"/>'s, rounded to single precision once
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
    /// i is that first member. The stages are the methods below, in order, each named as the vector pass's
    /// (Generator.VoterBlockPass) method for the same stage; they pass their results to one another in a <see cref="Draft"/>.
    /// </summary>
    public static Voter Draw(Generator.VoterSetting s, int i, int householdParty)
    {
        var d = new Draft(s, i);
        RandomWords(s, i, d);
        CellAndAge(s, d);
        Context(s, d);
        IssueSalience(s, i, d);
        BinaryDemographics(s, d);
        TraitsPositionsAndPredictors(s, d);
        Transforms(d);
        PolicyDraws(s, d);
        PartyIdentification(s, d, householdParty);
        PersuadabilityAndTurnout(s, d);
        BytesShowAndHome(s, d);
        PastVote(s, d);
        return d.Voter;
    }

    /// <summary>One voter's values between the stages of <see cref="Draw"/>: what each stage computes for the later ones.</summary>
    private sealed class Draft(Generator.VoterSetting s, int i)
    {
        public readonly Voter Voter = new() { IssuePosition = new Half[s.L.K], IssueSalience = new Half[s.L.K] };
        public readonly int K = s.L.K, Constituency = s.E.Constituency[i], Household = s.E.Household[i], Neighbourhood = s.E.Neighbourhood[i];
        /// <summary>The constituency's deprivation (standard units).</summary>
        public readonly float Deprivation = s.E.ConstituencyDeprivation[s.E.Constituency[i]];
        /// <summary>Stage 1: the voter's words, its normal deviates and the household's shared issue components.</summary>
        public uint[] W = [];
        public float[] Z = [], HouseholdComponent = [];
        /// <summary>Stage 2: centred age, education and income, and age in years.</summary>
        public float AgeC, EdC, IncC, AgeY;
        /// <summary>Stage 3: the probability of living in an urban area.</summary>
        public float PUrban;
        /// <summary>Stage 4: the issue saliences.</summary>
        public float[] Salience = [];
        /// <summary>Stage 5: employment and the 1/0 indicators.</summary>
        public Employment Employment;
        public float UrbanF, MinorityF, UnemployedF, MaleF;
        /// <summary>Stage 6: Big Five, issue positions and the linear predictors of the leaf attributes.</summary>
        public float[] BigFive = [], Position = [], MediaX = [], ConsumerX = [], ShowX = [];
        public float InterestX, PhoneX, EmailX, FootprintX;
        /// <summary>Stage 7: the transformed leaf attributes.</summary>
        public float[] Media = [], Consumer = [], ShowWeight = [];
        public float Interest, Phone, Email, Footprint;
        /// <summary>Stage 8: the two policy-only logit draws.</summary>
        public int PartyPick, PastPick;
        /// <summary>Stage 9: the party identified with (−1 for none) and its strength.</summary>
        public int Party;
        public float Strength;
        /// <summary>Stage 10: the probability of past turnout.</summary>
        public float TurnoutP;

        /// <summary>The uniform of word <paramref name="slot"/>.</summary>
        public float U(int slot) => FloatMath.Uniform(W[slot]);
    }

    /// <summary>
    /// Stage 1. The voter's words: the first L.Words of its stream, in order; normal deviates by the inverse CDF of open
    /// uniforms. The household's shared issue component: word q of the household's stream, sd·Φ⁻¹(u).
    /// </summary>
    private static void RandomWords(Generator.VoterSetting s, int i, Draft d)
    {
        var L = s.L;
        var stream = new RandomStream(s.Seed, StreamIds.Voter, (ulong)i);
        var w = new uint[L.Words];
        for (int t = 0; t < w.Length; t++) w[t] = stream.NextUInt32();
        var z = new float[L.NormalCount];
        for (int t = 0; t < z.Length; t++) z[t] = FloatMath.NormalQuantile(FloatMath.OpenUniform(w[L.Normals + t]));
        var householdStream = new RandomStream(s.Seed, Generator.StreamHouseholdOpinion, (ulong)d.Household);
        var household = new float[d.K];
        for (int q = 0; q < d.K; q++) household[q] = s.Co.HouseholdOpinionSd * FloatMath.NormalQuantile(FloatMath.OpenUniform(householdStream.NextUInt32()));
        d.W = w; d.Z = z; d.HouseholdComponent = household;
    }

    /// <summary>
    /// Stage 2. Demographic cell (the constituency's IPF table, an alias draw), decomposed as 15·band + 5·education +
    /// income; age uniform within the band: its lower end + ⌊word · width / 2³²⌋.
    /// </summary>
    private static void CellAndAge(Generator.VoterSetting s, Draft d)
    {
        var w = d.W; var voter = d.Voter;
        int cell = s.Cells[d.Constituency].Sample((w[Generator.UCell] + 0.5) * (1.0 / 4294967296.0));
        int band = cell / 15, education = cell / 5 % 3, income = cell % 5;
        int width = ElectorateSpec.AgeBandUpper[band] - ElectorateSpec.AgeBandLower[band];
        int age = ElectorateSpec.AgeBandLower[band] + (int)(((ulong)w[Generator.UAge] * (ulong)width) >> 32);
        voter.Age = (byte)age; voter.Education = (byte)education; voter.IncomeQuintile = (byte)(income + 1);
        d.AgeC = (float)(age - Generator.AgeCentre) / Generator.AgeScale; d.EdC = education - 1; d.IncC = income - 2; d.AgeY = age;
    }

    /// <summary>
    /// Stage 3. Context: the probability of living in an urban area, logistic(a + b·urbanity) of the neighbourhood's
    /// latent urbanity; the neighbourhood's opinion (stage 6 adds it) and the household's component (stage 1).
    /// </summary>
    private static void Context(Generator.VoterSetting s, Draft d) =>
        d.PUrban = FloatMath.Logistic(s.Co.UrbanIntercept + s.Co.UrbanSlope * s.NeighbourhoodUrbanity[d.Neighbourhood]);

    /// <summary>
    /// Stage 4. Issue salience: Dirichlet(α, …, α) as K gammas, normalised. Each gamma's first try is one
    /// Marsaglia–Tsang (2000) trial from the voter's slots; a rejected try (every try when α &lt; 1) is redrawn, in issue
    /// order, from the voter's fallback stream (seed, VoterRetry, i). If every gamma rounds to 0 in single precision
    /// (possible only for α &lt; 1, whose gammas all come from the double-precision sampler), the shares are taken in
    /// double precision (equal shares if even those are all 0).
    /// </summary>
    private static void IssueSalience(Generator.VoterSetting s, int i, Draft d)
    {
        var L = s.L; int K = d.K;
        var salience = new float[K];
        var exact = new double[K];
        RandomStream retry = default; bool hasRetry = false;
        for (int q = 0; q < K; q++)
        {
            bool accepted = TryGamma(s.GammaD, s.GammaC, d.Z[L.GammaZ + q], FloatMath.OpenUniform(d.W[L.GammaU + q]), out float value) && s.Alpha >= 1f;
            exact[q] = value;
            if (!accepted)
            {
                if (!hasRetry) { retry = new RandomStream(s.Seed, Generator.StreamVoterRetry, (ulong)i); hasRetry = true; }
                exact[q] = retry.Gamma(s.E.Spec.SalienceConcentration);
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
        d.Salience = salience;
    }

    /// <summary>
    /// Stage 5. Binary demographics: gender; urban; employment — from the retirement age, the retired share is retired
    /// (the rest employed); below the student age, the student share studies; everyone else is unemployed at the local
    /// rate (higher in the lowest income quintile, rising with deprivation), else employed at the employed share, else
    /// inactive; minority; health.
    /// </summary>
    private static void BinaryDemographics(Generator.VoterSetting s, Draft d)
    {
        var co = s.Co; var m = s.E.Spec.Marginals; var voter = d.Voter;
        float female = (float)m.Female;
        float g = d.U(Generator.UGender);
        voter.Gender = (byte)(g < female ? 0 : g < female + co.OtherGenderShare ? 2 : 1);
        bool urban = d.U(Generator.UUrban) < d.PUrban;
        float unemployedRate = co.UnemploymentRate * FloatMath.Exp(co.UnemploymentDeprivation * d.Deprivation);
        if (d.IncC == -2f) unemployedRate *= co.LowIncomeUnemploymentFactor;
        float u0 = d.U(Generator.UEmployment), ageY = d.AgeY;
        Employment employment;
        if (ageY >= co.RetirementAge) employment = u0 < co.RetiredShare ? Employment.Retired : Employment.Employed;
        else if (ageY < co.StudentAgeBelow && u0 < co.StudentShare) employment = Employment.Student;
        else if (d.U(Generator.UEmployment + 1) < unemployedRate) employment = Employment.Unemployed;
        else employment = d.U(Generator.UEmployment + 2) < co.EmployedShare ? Employment.Employed : Employment.Inactive;
        float minorityShare = (float)Math.Min(1, m.Minority * (urban ? co.MinorityUrbanFactor : co.MinorityRuralFactor));
        bool minority = d.U(Generator.UMinority) < minorityShare;
        float healthShare = Math.Min(1f, (float)m.Health * (co.HealthBase + co.HealthAgeGradient * (ageY - co.HealthAgeFrom) / co.HealthAgeSpan));
        bool healthy = d.U(Generator.UHealth) < healthShare;
        voter.Urban = (byte)(urban ? 1 : 0); voter.Employment = employment;
        voter.Minority = (byte)(minority ? 1 : 0); voter.Health = (byte)(healthy ? 1 : 0);
        d.Employment = employment;
        d.UrbanF = urban ? 1f : 0f; d.MinorityF = minority ? 1f : 0f; d.UnemployedF = employment == Employment.Unemployed ? 1f : 0f; d.MaleF = voter.Gender == 1 ? 1f : 0f;
    }

    /// <summary>
    /// Stage 6. Big Five: L·z with L the Cholesky factor of their correlations (openness b[0] … neuroticism b[4]). Issue
    /// positions: the loadings of the issue's kind (economic, cultural, environmental, sovereignty for issues 0, 1, 2, 3,
    /// then again from 4) + the neighbourhood's opinion + the household's component + the voter's own. Linear
    /// predictors of the leaf attributes (logit scale; the footprint's and the shows' on the log scale).
    /// </summary>
    private static void TraitsPositionsAndPredictors(Generator.VoterSetting s, Draft d)
    {
        var co = s.Co; var L = s.L; var z = d.Z; int K = d.K;
        float ageC = d.AgeC, edC = d.EdC, incC = d.IncC, urbanF = d.UrbanF, dep = d.Deprivation;
        var b = new float[Generator.BigFiveCount];
        for (int t = 0; t < b.Length; t++)
        {
            float sum = 0;
            for (int c = 0; c <= t; c++) sum += co.BigFiveFactor[t * b.Length + c] * z[L.BigFive + c];
            b[t] = sum;
        }
        var position = new float[K];
        for (int q = 0; q < K; q++)
        {
            float load = (q % 4) switch
            {
                0 => co.EconomicIncome * incC + co.EconomicDeprivation * dep + co.EconomicConscientiousness * b[1] + co.EconomicUnemployed * d.UnemployedF,
                1 => co.CulturalAge * ageC + co.CulturalEducation * edC + co.CulturalUrban * urbanF + co.CulturalMinority * d.MinorityF + co.CulturalOpenness * b[0],
                2 => co.EnvironmentAge * ageC + co.EnvironmentEducation * edC + co.EnvironmentUrban * urbanF + co.EnvironmentOpenness * b[0],
                _ => co.SovereigntyAge * ageC + co.SovereigntyEducation * edC + co.SovereigntyUrban * urbanF,
            };
            position[q] = load + s.NeighbourhoodOpinion[d.Neighbourhood * K + q] + d.HouseholdComponent[q] + co.IndividualOpinionSd * z[L.Issue + q];
        }
        float econ = position[0], cult = K > 1 ? position[1] : 0f, env = K > 2 ? position[2] : 0f;
        d.InterestX = co.InterestIntercept + co.InterestEducation * edC + co.InterestAge * ageC + co.InterestSd * z[L.Interest];
        var mediaX = new float[Generator.PlatformCount];
        for (int pf = 0; pf < mediaX.Length; pf++)
            mediaX[pf] = co.MediaIntercept[pf] + co.MediaAge[pf] * ageC + co.MediaEducation[pf] * edC + co.MediaSd * z[L.Media + pf];
        d.PhoneX = co.PhoneIntercept + co.PhoneAge * ageC + co.PhoneSd * z[L.Phone];
        d.EmailX = co.EmailIntercept + co.EmailEducation * edC + co.EmailAge * ageC + co.EmailSd * z[L.Email];
        d.ConsumerX =
        [
            co.OrganicIntercept + co.OrganicEnvironment * env + co.OrganicIncome * incC + co.ConsumerSd * z[L.Consumer],
            co.LuxuryIntercept + co.LuxuryIncome * incC + co.ConsumerSd * z[L.Consumer + 1],
            co.OutdoorIntercept + co.OutdoorCultural * cult + co.OutdoorRural * (1f - urbanF) + co.ConsumerSd * z[L.Consumer + 2],
            co.BettingIntercept + co.BettingMale * d.MaleF + co.BettingEducation * edC + co.ConsumerSd * z[L.Consumer + 3],
        ];
        d.FootprintX = co.FootprintAge * ageC + co.FootprintSd * z[L.Footprint];
        var showX = new float[Generator.Shows];
        for (int sh = 0; sh < showX.Length; sh++)
        {
            float d0 = econ - co.ShowEconomic[sh], d1 = cult - co.ShowCultural[sh];
            showX[sh] = -(d0 * d0 + d1 * d1);
        }
        var voter = d.Voter;
        for (int t = 0; t < b.Length; t++) voter.BigFive[t] = FloatMath.ToHalf(b[t]);
        for (int q = 0; q < K; q++) { voter.IssuePosition[q] = FloatMath.ToHalf(position[q]); voter.IssueSalience[q] = FloatMath.ToHalf(d.Salience[q]); }
        d.BigFive = b; d.Position = position; d.MediaX = mediaX; d.ShowX = showX;
    }

    /// <summary>
    /// Stage 7. Transforms: logistic for interest, media, phone, email and consumer interests; exp for the footprint and
    /// the show weights.
    /// </summary>
    private static void Transforms(Draft d)
    {
        d.Interest = FloatMath.Logistic(d.InterestX);
        d.Media = Array.ConvertAll(d.MediaX, FloatMath.Logistic);
        d.Phone = FloatMath.Logistic(d.PhoneX); d.Email = FloatMath.Logistic(d.EmailX);
        d.Consumer = Array.ConvertAll(d.ConsumerX, FloatMath.Logistic);
        d.Footprint = FloatMath.Exp(d.FootprintX);
        d.ShowWeight = Array.ConvertAll(d.ShowX, FloatMath.Exp);
    }

    /// <summary>
    /// Stage 8. Policy-only logit over the parties standing in the constituency: u_j = −w·Σ_q s_q (x_q − p_jq)² + c_jk
    /// (the squared distance in single precision, the rest in double, rounded to single), weights e^{u_j − max u}; two
    /// draws by inversion, one for party identification and one for the past vote.
    /// </summary>
    private static void PolicyDraws(Generator.VoterSetting s, Draft d)
    {
        var vm = s.E.VoteModel;
        int K = d.K, P = s.E.Spec.Parties.Count, k = d.Constituency;
        var utility = new float[P];
        float best = float.NegativeInfinity;
        for (int j = 0; j < P; j++)
        {
            if (!vm.StandsArray[k * P + j]) { utility[j] = float.NegativeInfinity; continue; }
            float distance = 0;
            for (int q = 0; q < K; q++)
            {
                float diff = d.Position[q] - s.PartyPositions[j * K + q];
                distance += d.Salience[q] * diff * diff;
            }
            utility[j] = (float)(-vm.PolicyWeight * distance + vm.ConstituencyOffsetArray[k * P + j]);
            best = Math.Max(best, utility[j]);
        }
        var weight = new float[P];
        for (int j = 0; j < P; j++) weight[j] = float.IsNegativeInfinity(utility[j]) ? 0f : FloatMath.Exp(utility[j] - best);
        d.PartyPick = Invert(weight, d.U(Generator.UPartyId)); d.PastPick = Invert(weight, d.U(Generator.UPastVote));
    }

    /// <summary>
    /// Stage 9. Party identification: with probability min(1, rate·(base + slope·interest)) the voter identifies with the
    /// party of the first draw; a later household member takes the first member's identification
    /// (<paramref name="householdParty"/>) with the household partisanship probability. Strength ~ Beta(2, 2), the median
    /// of three uniforms (0 without a party).
    /// </summary>
    private static void PartyIdentification(Generator.VoterSetting s, Draft d, int householdParty)
    {
        var co = s.Co; var spec = s.E.Spec;
        bool identifies = d.U(Generator.UIdentifies) < Math.Min(1f, (float)spec.PartyIdRate * (co.PartyIdBase + co.PartyIdInterest * d.Interest));
        int ownParty = identifies ? d.PartyPick : -1;
        bool follows = d.U(Generator.UShare) < (float)spec.HouseholdPartisanship;
        int party = householdParty != int.MinValue && follows ? householdParty : ownParty;
        float s0 = d.U(Generator.UStrength), s1 = d.U(Generator.UStrength + 1), s2 = d.U(Generator.UStrength + 2);
        float median = Math.Max(Math.Min(s0, s1), Math.Min(Math.Max(s0, s1), s2));
        d.Party = party; d.Strength = party >= 0 ? median : 0f;
    }

    /// <summary>Stage 10. Persuadability and the probability of past turnout (logistic).</summary>
    private static void PersuadabilityAndTurnout(Generator.VoterSetting s, Draft d)
    {
        var co = s.Co; var voter = d.Voter;
        float strength = d.Strength, interest = d.Interest;
        float persuadability = FloatMath.Logistic(co.PersuadabilityIntercept + co.PersuadabilityStrength * strength + co.PersuadabilityInterest * interest
            + co.PersuadabilityAgreeableness * d.BigFive[3] + co.PersuadabilitySd * d.Z[s.L.Persuade]);
        d.TurnoutP = FloatMath.Logistic(co.PastTurnoutIntercept + co.PastTurnoutAge * d.AgeC + co.PastTurnoutEducation * d.EdC
            + co.PastTurnoutInterest * (interest - co.PastTurnoutInterestCentre) + co.PastTurnoutStrength * strength);
        voter.PartyId = d.Party; voter.PartyIdStrength = FloatMath.ToHalf(strength);
        voter.Interest = FloatMath.ToHalf(interest); voter.Persuadability = FloatMath.ToHalf(persuadability); voter.DigitalFootprint = FloatMath.ToHalf(d.Footprint);
    }

    /// <summary>
    /// Stage 11. Probabilities as bytes (× 255, rounded half to even); the favourite show, a logit draw by inversion on
    /// the show weights; being at home by time of day, by employment (retired and inactive alike) times a per-voter jitter.
    /// </summary>
    private static void BytesShowAndHome(Generator.VoterSetting s, Draft d)
    {
        var co = s.Co; var voter = d.Voter;
        for (int pf = 0; pf < d.Media.Length; pf++) voter.MediaUse[pf] = Generator.Prob255(d.Media[pf]);
        voter.AnswersPhone = Generator.Prob255(d.Phone); voter.OpensEmail = Generator.Prob255(d.Email);
        for (int c = 0; c < d.Consumer.Length; c++) voter.ConsumerInterest[c] = Generator.Prob255(d.Consumer[c]);
        var showWeight = d.ShowWeight;
        float showTotal = 0;
        for (int sh = 0; sh < showWeight.Length; sh++) showTotal += showWeight[sh];
        float showTarget = d.U(Generator.UShow) * showTotal, cumulative = 0;
        int show = showWeight.Length - 1; // where rounding puts the target at the total: the last show
        for (int sh = 0; sh < showWeight.Length - 1; sh++)
        {
            cumulative += showWeight[sh];
            if (showTarget < cumulative) { show = sh; break; }
        }
        voter.TvShow = (byte)show;
        float[] home = d.Employment switch
        {
            Employment.Retired or Employment.Inactive => co.HomeRetired,
            Employment.Unemployed => co.HomeUnemployed,
            Employment.Student => co.HomeStudent,
            _ => co.HomeEmployed,
        };
        float jitter = co.HomeJitterLow + co.HomeJitterWidth * d.U(Generator.UJitter);
        for (int t = 0; t < 3; t++) voter.HomeProbability[t] = Generator.Prob255(home[t] * jitter);
    }

    /// <summary>
    /// Stage 12. Past turnout, and the past vote: a voting partisan's own party with the loyalty probability, else the
    /// second policy draw; −1 for abstainers.
    /// </summary>
    private static void PastVote(Generator.VoterSetting s, Draft d)
    {
        bool voted = d.U(Generator.UVoted) < d.TurnoutP;
        bool loyal = d.Party >= 0 && d.U(Generator.ULoyal) < s.Co.PastVoteLoyalty;
        d.Voter.PastTurnout = (byte)(voted ? 1 : 0);
        d.Voter.PastVote = voted ? (loyal ? d.Party : d.PastPick) : -1;
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
