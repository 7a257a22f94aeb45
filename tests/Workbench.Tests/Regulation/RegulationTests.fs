module Workbench.Tests.Regulation.RegulationTests

open System
open Expecto
open Workbench
open Workbench.Data
open Workbench.Campaigns
open Workbench.Experiments
open Workbench.Regulation

/// A small campaign scenario with a regulation block.
let private regulated (regulation: string) =
    Scenario.Parse(sprintf """{ "name": "r", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "us-like", %s
      "systems": [ { "name": "FPTP", "type": "fptp" } ],
      "campaigns": [ { "party": "Red", "budget": 600, "strategy": "microtarget", "objective": "votes", "channels": ["paid-social"] } ],
      "replicates": 1, "seed": 4 }""" (if regulation = "" then "" else "\"regulation\": " + regulation + ","))

[<Tests>]
let regulationTests =
    testList "Regulation.Rules" [
        test "banning an attribute removes it from every model's features and every targeting rule, and targeting on it is refused" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 5000, Nullable 2, Nullable 2)
            for attr in VoterData.Attributes do
                let reg = RegulationSpec(BannedTargeting = [| attr |])
                let regime = reg.Apply(DataRegime.Preset "us-like")
                Expect.contains regime.BannedAttributes attr "banned in the regime"
                let kn = CampaignKnowledge.Build(e, regime, 1)
                Expect.isFalse (kn.Features |> Seq.exists (fun f -> f.StartsWith(attr + " "))) (attr + " not a campaign feature")
                let scored = Workbench.Scoring.Scorer.Features(e, regime, 0, Workbench.Scoring.ScoringOptions(), 1UL)
                let struct (_, names) = scored
                Expect.isFalse (names |> Seq.exists (fun f -> f.StartsWith(attr + " ") || (attr = "support" && f.StartsWith "canvass: identifies"))) (attr + " not a scoring feature")
                let data = VoterData.Open(e, regime)
                for source in VoterData.Catalogue.[attr] do
                    let ex = Expect.throwsC (fun () -> data.Individual(attr, source) |> ignore) id
                    Expect.equal (ex :?> RegimeViolationException).Rule "bannedAttributes" (sprintf "%s from %A refused" attr source)
        }
        test "'human scale': only location and the allowed attributes remain" {
            let regime = RegulationSpec(AllowedTargeting = [| "age" |]).Apply(DataRegime.Preset "us-like")
            Expect.equal (VoterData.Attributes |> Seq.filter (fun a -> not (Seq.contains a regime.BannedAttributes)) |> List.ofSeq) [ "age" ] "age only"
        }
        test "raising the minimum audience from 200 up never raises targeting precision, nor does the largest beat individual targeting (seeded grid; tolerance 0.005 for contact draws)" {
            let precision audience =
                let res = Simulation.Run(regulated (sprintf """{ "minimumAudience": %d }""" audience), Nullable 2)
                res.Spend |> Seq.averageBy (fun s -> s.Precision)
            let grid = [ 1; 200; 2000; 10000 ] |> List.map precision
            printfn "precision by minimum audience 1, 200, 2000, 10000: %A" grid
            // Under the central evidence preset the paid-social value is almost all (decayed) persuasion. From 200 up, and from
            // individual targeting to the largest audience, precision judged with the truth must not rise.
            for a, b in List.pairwise grid.Tail do Expect.isLessThanOrEqual b (a + 0.005) "not higher with a larger minimum audience"
            // The one step excluded above is not bounded: individual custom audiences (1) reach the matched voters one by one
            // and the unmatched through the platform's constituency × age audiences, blocks of 200 rank matched voters by value
            // and widen the rest, so precision judged with the truth can go either way (seen: 0.7925 at 1 and 0.8022 at 200
            // before the unmatched were reachable, 0.7975 and 0.8179 since). It is printed above.
            Expect.isLessThanOrEqual (List.last grid) (grid.Head + 0.005) "the largest minimum audience is not more precise than individual targeting"
        }
        test "spending never exceeds the cap (up to the scatter of contacts charged on delivery) except by the share routed abroad, which is a violation" {
            let res = Simulation.Run(regulated """{ "spendingCap": 300, "abroadShare": 0.5, "oversight": 1 }""", Nullable 2)
            // Paid social is charged per delivered contact, so the realised spend scatters around the planned spend by the chance
            // of each contact (seen: 451.1 against a plan of 450); 1% allows that scatter and nothing like the uncapped 600.
            for s in res.Spend do Expect.isLessThanOrEqual s.Spend (450.0 * 1.01) "cap × (1 + abroad share), up to the scatter of charged contacts"
            let v = res.Violations |> Seq.filter (fun x -> x.Kind = "spending-routed-abroad") |> List.ofSeq
            Expect.isNonEmpty v "routing money abroad is recorded"
            Expect.isTrue (v |> List.forall (fun x -> x.Detected)) "oversight 1 detects everything"
            let none = Simulation.Run(regulated """{ "spendingCap": 300 }""", Nullable 2)
            for s in none.Spend do Expect.isLessThanOrEqual s.Spend (300.0 * 1.01) "no abroad share: the cap holds (up to the scatter of charged contacts)"
            Expect.isEmpty none.Violations "no violations"
        }
        test "an empty regulation block changes nothing; an invalid one lists its errors" {
            let a = Simulation.Run(regulated "", Nullable 2).ToCsv()
            let b = Simulation.Run(regulated "{}", Nullable 2).ToCsv()
            Expect.equal b a "same bytes"
            let ex = Expect.throwsC (fun () -> regulated """{ "bannedTargeting": ["shoe_size"], "abroadShare": 0.2, "oversight": 2 }""" |> ignore) id
            let paths = (ex :?> SpecValidationException).Errors |> Seq.map (fun e -> e.Path) |> Set.ofSeq
            for p in [ "$.regulation.bannedTargeting[0]"; "$.regulation.abroadShare"; "$.regulation.oversight" ] do Expect.contains paths p p
        }
        test "the regulation lab compares the shipped scenarios on identical electorates" {
            let scenarios = [ "regulation-none"; "regulation-human-scale" ] |> List.map (fun n -> Scenario.Builtin(n).With(replicates = Nullable 1, voters = Nullable 20000))
            // The electorate each scenario's replicate runs on, as its Parquet export: voter by voter, the same bytes.
            let electorate (sc: Scenario) =
                use ms = new IO.MemoryStream()
                Workbench.Electorate.ElectorateExport.WriteParquet(Simulation.Detail(sc, 0, Nullable 2).Electorate, ms, 2)
                ms.ToArray()
            let first = electorate scenarios.Head
            Expect.isGreaterThan first.Length 100_000 "a 20,000-voter electorate is exported"
            for sc in scenarios.Tail do Expect.sequenceEqual (electorate sc) first $"{sc.Name}: the same electorate as {scenarios.Head.Name}"
            let rows = RegulationLab.Compare(scenarios, Nullable 2)
            Expect.equal (rows |> Seq.map (fun r -> r.Scenario) |> Set.ofSeq) (Set.ofList [ "regulation-none"; "regulation-human-scale" ]) "both scenarios"
            Expect.isTrue (rows |> Seq.forall (fun r -> r.Precision >= 0.0 && r.Precision <= 1.0 && r.InformationGini >= 0.0 && r.InformationGini <= 1.0)) "bounded measures"
            Expect.stringContains (RegulationLab.ToHtml rows) "information Gini" "table"
        }
    ]

/// A small scenario of two campaigns with a regulation block, on a regime given by name.
let private namedCard (name: string) (regime: string) (regulation: string) replicates =
    Scenario.Parse(sprintf """{ "name": "%s", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "%s", %s
      "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
      "campaigns": [ { "party": "Red", "budget": 900, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["canvass", "paid-social", "direct-mail"] },
                     { "party": "Blue", "budget": 900, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["paid-social", "tv"] } ],
      "replicates": %d, "seed": 12 }""" name regime (if regulation = "" then "" else "\"regulation\": " + regulation + ",") replicates)

let private card regime regulation replicates = namedCard "c" regime regulation replicates

[<Tests>]
let audienceTests =
    testList "Regulation.Audience" [
        test "a regulation's minimum audience and the regime's are on one scale: the stricter applies and neither scales with voters" {
            let ukLike = DataRegime.Preset "uk-like"
            Expect.equal (RegulationSpec(MinimumAudience = Nullable 20).Apply(ukLike).MinimumAudience) ukLike.MinimumAudience "a looser regulation cannot loosen the regime's 100"
            Expect.equal (RegulationSpec(MinimumAudience = Nullable 1000).Apply(ukLike).MinimumAudience) 1000 "a stricter one applies"
            let human = Scenario.Builtin "regulation-human-scale"
            Expect.isGreaterThan human.EffectiveRegime.MinimumAudience (Scenario.Builtin "regulation-none").EffectiveRegime.MinimumAudience "the human-scale card is stricter than uk-like"
            Expect.equal (human.With(voters = Nullable 20000).EffectiveRegime.MinimumAudience) human.EffectiveRegime.MinimumAudience "fewer voters: same minimum"
            Expect.equal (human.With(voters = Nullable 400000).EffectiveRegime.MinimumAudience) human.EffectiveRegime.MinimumAudience "more voters: same minimum"
        }
        test "audiences below the minimum are widened, never bought: every published ad's audience holds at least the minimum people on the platform" {
            let minimum = 1000
            let sc = card "us-like" (sprintf """{ "allowedTargeting": ["age"], "minimumAudience": %d }""" minimum) 1
            let run = Simulation.Detail(sc)
            let archive = run.Archive("campaign")
            Expect.isNonEmpty archive.All "paid social still runs under the minimum"
            let e = run.Electorate
            let paid = sc.Channel "paid-social"
            // The unit of each ad, from its declared targeting: recompute its people on the platform from the electorate.
            let people (loc: string) (ages: string) =
                seq { 0 .. e.VoterCount - 1 }
                |> Seq.filter (fun i ->
                    let band = Workbench.Electorate.ElectorateSpec.AgeBandLabel(Workbench.Electorate.ElectorateSpec.AgeBandOf(float e.Age.[i]))
                    (ages = "18-65+" || ages = band)
                    && (loc = "national"
                        || (loc.StartsWith "region " && int e.ConstituencyRegion.[int e.Constituency.[i]] + 1 = int (loc.Substring 7))
                        || (loc.StartsWith "constituency " && int e.Constituency.[i] + 1 = int (loc.Substring 13))))
                |> Seq.sumBy (fun i -> paid.ContactProbability(e, i, -1))
            for ad in archive.All do
                Expect.isGreaterThanOrEqual (people ad.TargetLocations ad.TargetAges) (float minimum) (sprintf "ad %s (%s, %s)" ad.Id ad.TargetLocations ad.TargetAges)
            Expect.isTrue (archive.All |> Seq.exists (fun a -> a.TrueTargeting.Contains "widened")) "some audiences were widened"
            let free = Simulation.Detail(card "us-like" """{ "allowedTargeting": ["age"] }""" 1).Archive("campaign")
            Expect.isFalse (free.All |> Seq.exists (fun a -> a.TrueTargeting.Contains "widened")) "without a minimum nothing is widened"
        }
    ]

[<Tests>]
let deterrenceTests =
    testList "Regulation.Deterrence" [
        test "campaigns comply when the expected sanction is at least what a violation gains, and violate when it is less" {
            let weak = RegulationSpec(SpendingCap = Nullable 600.0, AbroadShare = 0.5, Oversight = 0.4, Fine = 1.0)
            let strong = RegulationSpec(SpendingCap = Nullable 600.0, AbroadShare = 0.5, Oversight = 0.5, Fine = 2.0)
            Expect.isFalse weak.Deters (sprintf "expected sanction %.2f < 1" weak.ExpectedSanction)
            Expect.isTrue strong.Deters (sprintf "expected sanction %.2f >= 1" strong.ExpectedSanction)
            Expect.equal (weak.Budget 900.0) 900.0 "a violator spends cap × 1.5 = 900"
            Expect.equal (strong.Budget 900.0) 600.0 "a deterred campaign spends the cap"
            let run reg = Simulation.Run(card "us-like" reg 3, Nullable 2)
            let w = run """{ "spendingCap": 600, "abroadShare": 0.5, "oversight": 0.4, "fine": 1 }"""
            let s = run """{ "spendingCap": 600, "abroadShare": 0.5, "oversight": 0.5, "fine": 2 }"""
            Expect.isNonEmpty w.Violations "the weak regulator is defied"
            for v in w.Violations do Expect.equal v.Sanction (if v.Detected then v.Amount else 0.0) (sprintf "fine 1 × amount when detected (%A)" v)
            Expect.isEmpty s.Violations "the strong regulator deters every campaign"
            // The last unit bought in part is delivered to each of its voters with that probability, so realised spend may pass
            // the budget by a fraction of one unit's cost (here up to 2%).
            for r in s.Spend do Expect.isLessThanOrEqual r.Spend (600.0 * 1.02) "no money routed abroad"
            let total (res: SimulationResult) = res.Spend |> Seq.sumBy (fun r -> r.Spend)
            Expect.isGreaterThan (total w) (total s + 100.0) "deterrence changes what campaigns spend"
            Expect.notEqual (w.ToCsv()) (s.ToCsv()) "and the results"
        }
        test "take-down removes detected violations' ads: a campaign whose overspending is taken down spends only the cap" {
            let res = Simulation.Run(card "us-like" """{ "spendingCap": 600, "abroadShare": 0.5, "oversight": 0.6, "takeDown": true }""" 6, Nullable 2)
            let v = res.Violations |> List.ofSeq
            Expect.isNonEmpty v "expected sanction 0.6 < 1: campaigns still violate"
            Expect.isTrue (v |> List.exists (fun x -> x.TakenDown)) "some violations are detected and taken down"
            Expect.isTrue (v |> List.exists (fun x -> not x.Detected)) "some are not detected"
            for x in v do
                Expect.equal x.TakenDown x.Detected "taken down exactly when detected"
                let spend = res.Spend |> Seq.filter (fun r -> r.Replicate = x.Replicate && r.Party = x.Party && r.Arm = x.Arm) |> Seq.sumBy (fun r -> r.Spend)
                if x.TakenDown then Expect.isLessThanOrEqual spend (600.0 * 1.02) "taken down: the ads bought abroad are gone (2% for the part-bought last unit)"
                else Expect.isGreaterThan spend (600.0 * 1.02) "not detected: the money abroad buys ads"
        }
        test "a deterred campaign runs no dark posts: none in the archive, no violations; a defiant one's dark posts are archived as violations" {
            let reg (fine: float) = sprintf """{ "transparency": true, "darkPostShare": 0.3, "oversight": 0.5, "fine": %g }""" fine
            let defiant = Simulation.Detail(card "us-like" (reg 0.0) 1)
            let a = defiant.Archive("campaign")
            Expect.isGreaterThan (a.All.Count - a.Published.Count) 0 "dark posts run"
            let deterred = Simulation.Detail(card "us-like" (reg 2.0) 1)
            let b = deterred.Archive("campaign")
            Expect.equal (b.All.Count - b.Published.Count) 0 "no dark posts"
            Expect.isEmpty (Simulation.Run(card "us-like" (reg 2.0) 1, Nullable 2).Violations) "no violations"
        }
        test "a political-ad ban leaves paid social unbought; the campaigns spend elsewhere" {
            let res = Simulation.Run(card "us-like" """{ "politicalAdBan": true }""" 1, Nullable 2)
            for r in res.Spend do
                Expect.equal (match r.ByChannel.TryGetValue "paid-social" with | true, x -> x | _ -> 0.0) 0.0 (sprintf "%s buys no paid social" r.Party)
            Expect.isGreaterThan (res.Spend |> Seq.sumBy (fun r -> r.Spend)) 0.0 "money goes to other channels"
        }
        test "cards are compared with the reference paired by replicate; an identical card differs by exactly zero, an unpaired one is refused" {
            let none = card "us-like" "" 3
            let same = namedCard "same" "us-like" """{ "oversight": 0.5 }""" 3
            let cap = namedCard "cap" "us-like" """{ "spendingCap": 300 }""" 3
            let results = [| none; same; cap |] |> Array.map (fun sc -> Simulation.Run(sc, Nullable 2))
            let contrasts = RegulationLab.Contrasts(results, "c")
            for c in contrasts |> Seq.filter (fun c -> c.Scenario = "same") do
                Expect.equal c.SeatDifference (Estimate(0.0, 0.0, 0.0)) "no seats moved"
                Expect.equal c.ShareDifferencePoints (Estimate(0.0, 0.0, 0.0)) "no share moved"
                Expect.equal c.Replicates 3 "three pairs"
            Expect.isTrue (contrasts |> Seq.exists (fun c -> c.Scenario = "cap" && c.ShareDifferencePoints.Mean <> 0.0)) "the cap moves votes"
            let other = Simulation.Run((namedCard "other" "us-like" "" 3).With(seed = Nullable 13), Nullable 2)
            Expect.throwsT<ArgumentException> (fun () -> RegulationLab.Contrasts([| results.[0]; other |], "c") |> ignore) "a card on other electorates cannot be paired"
        }
    ]

/// One microtargeting campaign (canvass, paid social, mail) on the US-like regime, with a regulation block: the scenario of the
/// breachable-ban tests. Banning past turnout costs it expected objective in both replicates (measured), so at oversight 0 it breaches.
let private banCard (regulation: string) =
    Scenario.Parse(sprintf """{ "name": "ban", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "us-like", "regulation": %s,
      "systems": [ { "name": "FPTP", "type": "fptp" } ],
      "campaigns": [ { "party": "Red", "budget": 900, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["canvass", "paid-social", "direct-mail"] } ],
      "replicates": 2, "seed": 12 }""" regulation)

let private sha (s: string) = Convert.ToHexStringLower(Security.Cryptography.SHA256.HashData(Text.Encoding.UTF8.GetBytes s))

[<Tests>]
let breachableBanTests =
    testList "Regulation.BreachableBan" [
        test "a ban that is not breachable gives today's results: no violation, the golden checksum of the ban before bans could be breached, and results unlike no ban" {
            let ban = Simulation.Run(banCard """{ "bannedTargeting": ["past_turnout"], "minimumAudience": 100 }""", Nullable 2)
            let explicitFalse = Simulation.Run(banCard """{ "bannedTargeting": ["past_turnout"], "breachable": false, "minimumAudience": 100 }""", Nullable 2)
            let none = Simulation.Run(banCard """{ "minimumAudience": 100 }""", Nullable 2)
            Expect.isEmpty ban.Violations "nothing to violate"
            Expect.isEmpty explicitFalse.Violations "nor with breachable false"
            // The checksum of this run's ToCsv computed with the workbench before bans could be breached.
            Expect.equal (sha (ban.ToCsv())) "2d65e72a1fc05c56fd44f13aee888f77fdfaaec13ef648225dba03ab12308d1f" "byte-identical to the ban before breaching existed"
            Expect.equal (explicitFalse.ToCsv()) (ban.ToCsv()) "breachable false is the default"
            Expect.notEqual (ban.ToCsv()) (none.ToCsv()) "the ban changes the campaign's plan (so a breach is visible)"
        }
        test "a breachable ban at oversight 0 is breached: a violation of kind targeting-banned-attribute per replicate, and results of a run without the ban" {
            let breached = Simulation.Run(banCard """{ "bannedTargeting": ["past_turnout"], "breachable": true, "minimumAudience": 100 }""", Nullable 2)
            let none = Simulation.Run(banCard """{ "minimumAudience": 100 }""", Nullable 2)
            let v = breached.Violations |> List.ofSeq
            Expect.equal (v |> List.map (fun x -> x.Kind, x.Party, x.Replicate, x.Detected, x.Sanction, x.TakenDown))
                [ for r in 0 .. 1 -> "targeting-banned-attribute", "Red", r, false, 0.0, false ] "one undetected, unfined breach per replicate"
            for x in v do
                let spend = breached.Spend |> Seq.filter (fun s -> s.Replicate = x.Replicate && s.Party = x.Party) |> Seq.sumBy (fun s -> s.Spend)
                Expect.floatClose Accuracy.high x.Amount spend "the amount is the campaign's whole spend"
            Expect.equal (breached.ToCsv()) (none.ToCsv()) "breaching runs on the data without the ban"
        }
        test "a breachable ban at oversight 1 with a fine of 1 is complied with: no violation and the results of the unbreachable ban" {
            let deterred = Simulation.Run(banCard """{ "bannedTargeting": ["past_turnout"], "breachable": true, "oversight": 1, "fine": 1, "minimumAudience": 100 }""", Nullable 2)
            let ban = Simulation.Run(banCard """{ "bannedTargeting": ["past_turnout"], "oversight": 1, "fine": 1, "minimumAudience": 100 }""", Nullable 2)
            Expect.isEmpty deterred.Violations "deterred"
            Expect.equal (deterred.ToCsv()) (ban.ToCsv()) "the compliant plan is today's ban"
        }
        test "a breach detected under take-down falls back to the compliant plan and is fined on the amount it involved" {
            // Oversight 0.05, a fine of 2 and take-down: the expected cost is 0.05 × 3 = 15% of the budget, below what past turnout
            // adds to this campaign's plan in most replicates, so it breaches; about one breach in 20 is detected and taken down.
            let reg = """{ "bannedTargeting": ["past_turnout"], "breachable": true, "oversight": 0.05, "takeDown": true, "fine": 2, "minimumAudience": 100 }"""
            let res = Simulation.Run((banCard reg).With(replicates = Nullable 40), Nullable 2)
            let v = res.Violations |> List.ofSeq
            Expect.isNonEmpty v "breached"
            let down = v |> List.filter (fun x -> x.Detected)
            Expect.isNonEmpty down "some breaches detected (about 1 in 20)"
            for x in v do
                Expect.equal x.TakenDown x.Detected "taken down exactly when detected"
                Expect.floatClose Accuracy.high x.Sanction (if x.Detected then 2.0 * x.Amount else 0.0) "fine × amount when detected"
            let banned = Simulation.Run((banCard """{ "bannedTargeting": ["past_turnout"], "minimumAudience": 100 }""").With(replicates = Nullable 40), Nullable 2)
            let none = Simulation.Run((banCard """{ "minimumAudience": 100 }""").With(replicates = Nullable 40), Nullable 2)
            let rows (r: SimulationResult) rep = r.ToCsv().Split('\n') |> Array.filter (fun l -> l.Contains(sprintf ",campaign,%d," rep))
            for x in v do
                let expected = if x.TakenDown then banned else none
                Expect.equal (rows res x.Replicate) (rows expected x.Replicate) (sprintf "replicate %d runs the %s plan" x.Replicate (if x.TakenDown then "compliant" else "breaching"))
        }
        test "the choice to breach a ban: only a positive gain, priced at the compliant plan's own money per unit of objective, above the expected cost" {
            // Gain 0.5 of objective at 2 units per 1000: worth 250 in money.
            Expect.isTrue (RegulationSpec.BreachesBan(0.5, 2.0, 1000.0, 249.999)) "cost just below the gain: breach"
            Expect.isFalse (RegulationSpec.BreachesBan(0.5, 2.0, 1000.0, 250.0)) "cost equal to the gain: comply"
            Expect.isFalse (RegulationSpec.BreachesBan(0.5, 2.0, 1000.0, 250.001)) "cost above the gain: comply"
            Expect.isTrue (RegulationSpec.BreachesBan(1e-9, 2.0, 1000.0, 0.0)) "a free breach with any gain is taken"
            Expect.isFalse (RegulationSpec.BreachesBan(0.0, 2.0, 1000.0, 0.0)) "no gain: comply even when free"
            Expect.isFalse (RegulationSpec.BreachesBan(-0.1, 2.0, 1000.0, 0.0)) "a loss: comply"
            Expect.isFalse (RegulationSpec.BreachesBan(0.5, 0.0, 1000.0, 0.0)) "a compliant plan that buys nothing gives no price: comply"
            Expect.isFalse (RegulationSpec.BreachesBan(0.5, 2.0, 0.0, 0.0)) "no budget: comply"
            Expect.isFalse (RegulationSpec.BreachesBan(nan, 2.0, 1000.0, 0.0)) "an undefined gain: comply"
            let reg = RegulationSpec(BannedTargeting = [| "age" |], Breachable = true, Oversight = 1.0, Fine = 1.0)
            Expect.isFalse (RegulationSpec.BreachesBan(0.9, 1.0, 1000.0, reg.ExpectedCost(1000.0, 0.0, 0.0))) "oversight 1 and fine 1 deter any gain below the budget"
        }
        test "breachable needs a ban" {
            let ex = Expect.throwsC (fun () -> banCard """{ "breachable": true }""" |> ignore) id
            let paths = (ex :?> SpecValidationException).Errors |> Seq.map (fun e -> e.Path) |> Set.ofSeq
            Expect.contains paths "$.regulation.breachable" "the path is named"
        }
    ]
