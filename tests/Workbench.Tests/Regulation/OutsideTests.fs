module Workbench.Tests.Regulation.OutsideTests

open System
open Expecto
open Workbench
open Workbench.Campaigns
open Workbench.Experiments
open Workbench.Regulation

/// Red's own campaign, a third-party advertiser and a foreign-funded advertiser working for Red, and Blue's campaign, on the
/// classroom electorate, under a regulation block (empty string: none).
let private outside (regulation: string) replicates =
    Scenario.Parse(sprintf """{ "name": "o", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "us-like", %s
      "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
      "campaigns": [ { "party": "Red", "budget": 600, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["canvass", "paid-social", "direct-mail"] },
                     { "party": "Red", "sponsor": "third-party", "budget": 600, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["paid-social", "direct-mail"] },
                     { "party": "Red", "sponsor": "foreign", "budget": 400, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["paid-social", "direct-mail"] },
                     { "party": "Blue", "budget": 600, "strategy": "microtarget", "optimiseFor": "FPTP", "channels": ["paid-social", "tv"] } ],
      "replicates": %d, "seed": 12 }""" (if regulation = "" then "" else "\"regulation\": " + regulation + ",") replicates)

let private spendOf (res: SimulationResult) (sponsor: Sponsor) =
    res.Spend |> Seq.filter (fun s -> s.Party = "Red" && s.Sponsor = sponsor) |> List.ofSeq

let private redRows (res: SimulationResult) =
    res.Rows |> Seq.filter (fun r -> r.Arm <> "baseline" && r.Party = "Red") |> Seq.map (fun r -> (r.Replicate, r.System), r) |> Map.ofSeq

let private errorsOf (json: string) =
    try Scenario.Parse json |> ignore; [] with :? SpecValidationException as e -> e.Errors |> List.ofSeq

[<Tests>]
let outsideTests =
    testList "Regulation.Outside" [
        test "the party spending cap binds the party's campaign, not the outside advertisers working for it; the party's result row counts them all" {
            let free = Simulation.Run(outside "" 2, Nullable 2)
            let capped = Simulation.Run(outside """{ "spendingCap": 300 }""" 2, Nullable 2)
            // The last unit bought in part may pass the budget by a fraction of one unit's cost (2%, as Regulation.Deterrence).
            for s in spendOf capped Sponsor.Party do Expect.isLessThanOrEqual s.Spend (300.0 * 1.02) "the party's campaign spends at most the cap"
            for sponsor in [ Sponsor.ThirdParty; Sponsor.Foreign ] do
                let a = spendOf free sponsor |> List.map (fun s -> s.Spend)
                let b = spendOf capped sponsor |> List.map (fun s -> s.Spend)
                Expect.equal b a (sprintf "%A spends what it spends without a cap" sponsor)
                Expect.isGreaterThan (List.sum b) (2.0 * 300.0 * 1.02) (sprintf "%A spends above the party cap" sponsor)
            Expect.isEmpty capped.Violations "spending by outside advertisers above the party cap is no violation"
            for r in capped.Rows |> Seq.filter (fun r -> r.Arm <> "baseline" && r.Party = "Red") do
                let all = capped.Spend |> Seq.filter (fun s -> s.Replicate = r.Replicate && s.Party = "Red") |> Seq.sumBy (fun s -> s.Spend)
                Expect.floatClose Accuracy.high r.Spend all "Red's row spend is its campaign's plus its outside advertisers'"
            Expect.equal (capped.Spend |> Seq.filter (fun s -> s.Party = "Red") |> Seq.length) 6 "spend is reported per advertiser: three advertisers × two replicates"
        }
        test "a third-party limit binds third-party advertisers only: complied with when it deters, a recorded violation when it does not" {
            let free = Simulation.Run(outside "" 2, Nullable 2)
            let deterred = Simulation.Run(outside """{ "thirdPartyCap": 200, "oversight": 1, "fine": 2 }""" 2, Nullable 2)
            for s in spendOf deterred Sponsor.ThirdParty do Expect.isLessThanOrEqual s.Spend (200.0 * 1.02) "the third party spends at most its limit"
            for sponsor in [ Sponsor.Party; Sponsor.Foreign ] do
                Expect.equal (spendOf deterred sponsor |> List.map (fun s -> s.Spend)) (spendOf free sponsor |> List.map (fun s -> s.Spend)) (sprintf "%A is not bound by it" sponsor)
            Expect.isEmpty deterred.Violations "oversight 1 and a fine of 2: no violations"
            let defied = Simulation.Run(outside """{ "thirdPartyCap": 200 }""" 2, Nullable 2)
            let v = defied.Violations |> List.ofSeq
            Expect.equal v.Length 2 "one violation per replicate"
            for x in v do
                Expect.equal (x.Kind, x.Sponsor, x.Party, x.Detected) ("third-party-over-limit", Sponsor.ThirdParty, "Red", false) "the third party's, undetected under oversight 0"
                Expect.equal x.Advertiser "Red (third-party)" "named as the advertiser"
            for s in spendOf defied Sponsor.ThirdParty do Expect.isGreaterThan s.Spend (200.0 * 1.02) "undeterred, it spends its budget"
        }
        test "a foreign-funding ban with oversight 0 changes nothing; with high oversight and sanctions it deters, and Red's votes change" {
            let free = Simulation.Run(outside "" 3, Nullable 2)
            let blind = Simulation.Run(outside """{ "foreignBan": true, "fine": 1, "takeDown": true }""" 3, Nullable 2)
            Expect.equal (blind.ToCsv()) (free.ToCsv()) "oversight 0: every vote, seat and spend as without the ban"
            Expect.isTrue (blind.Violations |> Seq.forall (fun v -> v.Kind = "foreign-funded" && not v.Detected)) "the foreign ads are violations nobody detects"
            Expect.equal blind.Violations.Count 3 "one per replicate"
            let weak = Simulation.Run(outside """{ "foreignBan": true, "oversight": 0.2, "fine": 1, "takeDown": true }""" 3, Nullable 2)
            let strong = Simulation.Run(outside """{ "foreignBan": true, "oversight": 0.8, "fine": 1, "takeDown": true }""" 3, Nullable 2)
            // Expected sanction per unit: 0.2 × (1 + 1) = 0.4 < 1, so the foreign advertiser violates; 0.8 × 2 = 1.6 ≥ 1, so it complies.
            Expect.isNonEmpty (weak.Violations |> Seq.filter (fun v -> v.Sponsor = Sponsor.Foreign)) "the weak regulator is defied"
            Expect.isEmpty strong.Violations "the strong regulator deters"
            for s in spendOf strong Sponsor.Foreign do Expect.equal s.Spend 0.0 "a deterred foreign advertiser buys nothing"
            let w, s = redRows weak, redRows strong
            let undetected = weak.Violations |> Seq.filter (fun v -> not v.TakenDown) |> Seq.map (fun v -> v.Replicate) |> Set.ofSeq
            Expect.isNonEmpty undetected "some foreign ads ran undetected under the weak regulator"
            let votes (m: Map<_, ResultRow>) = undetected |> Seq.sumBy (fun r -> m.[(r, "FPTP")].Votes)
            Expect.isGreaterThan (votes w) (votes s) "where its ads ran, Red had more votes than under the strong regulator"
            Expect.notEqual (weak.ToCsv()) (strong.ToCsv()) "outcomes differ"
        }
        test "publicity costs the beneficiary votes exactly in the replicates where a violation for it was detected" {
            // Fine 0 and no take-down: the foreign advertiser violates in both runs (publicity 0.0005 of Red's votes costs less than
            // its ads buy), oversight draws the same detections in both, and only publicity differs.
            let reg publicity = sprintf """{ "foreignBan": true, "oversight": 0.5, "publicity": %g }""" publicity
            let without = Simulation.Run(outside (reg 0.0) 6, Nullable 2)
            let with' = Simulation.Run(outside (reg 0.0005) 6, Nullable 2)
            Expect.equal (with'.Violations |> Seq.map (fun v -> v.Replicate, v.Detected) |> List.ofSeq)
                (without.Violations |> Seq.map (fun v -> v.Replicate, v.Detected) |> List.ofSeq) "the same violations and detections"
            let detected = with'.Violations |> Seq.filter (fun v -> v.Detected) |> Seq.map (fun v -> v.Replicate) |> Set.ofSeq
            Expect.isNonEmpty detected "some violations are detected"
            Expect.isLessThan detected.Count 6 "some are not"
            for v in with'.Violations do Expect.equal v.PublicityShare (if v.Detected then 0.0005 else 0.0) "publicity recorded when detected"
            let a, b = redRows with', redRows without
            for KeyValue((r, sys), row) in a do
                if not (detected.Contains r) then Expect.equal row b.[(r, sys)] (sprintf "replicate %d, %s: undetected, nothing changes" r sys)
            let lost = detected |> Seq.sumBy (fun r -> b.[(r, "FPTP")].Votes - a.[(r, "FPTP")].Votes)
            let redVotes = detected |> Seq.sumBy (fun r -> b.[(r, "FPTP")].Votes)
            printfn "publicity 0.0005: Red lost %d of %d votes in the detected replicates" lost redVotes
            Expect.isGreaterThan lost 0L "detected: Red loses votes"
            // About 0.05% of its votes, with the sampling noise of the votes that move.
            Expect.isLessThan (float lost) (0.005 * float redVotes) "of the order the publicity share sets"
        }
        test "publicity deters where fines and take-down alone do not: the advertiser's own price of a vote makes a share of its party's votes dear" {
            let reg publicity = sprintf """{ "foreignBan": true, "oversight": 0.3, "fine": 1, "takeDown": true, "publicity": %g }""" publicity
            let fines = Simulation.Run(outside (reg 0.0) 2, Nullable 2)
            let shamed = Simulation.Run(outside (reg 0.02) 2, Nullable 2)
            Expect.equal (fines.Violations |> Seq.filter (fun v -> v.Sponsor = Sponsor.Foreign) |> Seq.length) 2 "0.3 × (1 + 1) < 1: the foreign advertiser violates in both replicates"
            Expect.isEmpty shamed.Violations "with 2% of Red's votes at stake it complies"
            for s in spendOf shamed Sponsor.Foreign do Expect.equal s.Spend 0.0 "and buys nothing"
        }
        test "compliance weighs publicity: p × (fine × amount + take-down × amount + publicity × stake / points per money) against the amount" {
            let r = RegulationSpec(Oversight = 0.3, Fine = 1.0, TakeDown = true)
            Expect.isFalse (r.Complies(1000.0, 1e-4, 30.0)) "no publicity: 0.3 × 2 < 1"
            Expect.equal (r.Complies(1000.0, 1e-4, 30.0)) r.Deters "no publicity: the money rule"
            let p = RegulationSpec(Oversight = 0.3, Fine = 1.0, TakeDown = true, Publicity = 0.01)
            // Publicity costs 0.01 × 30 points = 0.3 points, bought at 1e-4 points per unit: 3,000 money; expected cost 0.3 × (2,000 + 3,000) = 1,500.
            Expect.floatClose Accuracy.high (p.ExpectedCost(1000.0, 1e-4, 30.0)) 1500.0 "expected cost in money"
            Expect.isTrue (p.Complies(1000.0, 1e-4, 30.0)) "1,500 ≥ 1,000: it complies"
            Expect.isFalse (p.Complies(10000.0, 1e-4, 30.0)) "a ten times larger violation: 0.3 × (20,000 + 3,000) = 6,900 < 10,000"
            Expect.isTrue (p.Complies(1000.0, 0.0, 30.0)) "money that buys nothing is not worth a risk"
            Expect.isFalse (RegulationSpec(Publicity = 0.01).Complies(1000.0, 1e-4, 30.0)) "nothing is detected without oversight"
        }
        test "a third-party or foreign advertiser needs its party; sponsors are checked; errors name the JSON path" {
            let scenario (campaigns: string) (regulation: string) =
                sprintf """{ "electorate": { "preset": "classroom", "voters": 20000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ], "campaigns": [ %s ], "regulation": %s }""" campaigns regulation
            let e1 = errorsOf (scenario """{ "party": "Red", "budget": 100 }, { "sponsor": "foreign", "budget": 100 }""" "{}")
            Expect.exists e1 (fun e -> e.Path = "$.campaigns[1].party" && e.Message.Contains "foreign advertiser needs the party it works for") (sprintf "%A" e1)
            let e2 = errorsOf (scenario """{ "party": "Red", "sponsor": "alien", "budget": 100 }""" "{}")
            Expect.exists e2 (fun e -> e.Path.StartsWith "$.campaigns[0].sponsor" && e.Message.Contains "third-party") (sprintf "%A" e2)
            let e3 = errorsOf (scenario """{ "party": "Red", "budget": 100 }""" """{ "publicity": -0.1, "thirdPartyCap": -5 }""")
            Expect.exists e3 (fun e -> e.Path = "$.regulation.publicity" && e.Message.Contains "-0.1") (sprintf "%A" e3)
            Expect.exists e3 (fun e -> e.Path = "$.regulation.thirdPartyCap") (sprintf "%A" e3)
            let e4 = errorsOf (scenario """{ "party": "Red", "sponsor": "third-party", "budget": 100 }, { "party": "Red", "sponsor": "third-party", "budget": 50 }""" "{}")
            Expect.exists e4 (fun e -> e.Path = "$.campaigns" && e.Message.Contains "two third-party advertisers") (sprintf "%A" e4)
            Expect.isEmpty (errorsOf (scenario """{ "party": "Red", "budget": 100 }, { "party": "Red", "sponsor": "third-party", "budget": 100 }, { "party": "Red", "sponsor": "foreign", "budget": 100 }""" "{}")) "one advertiser of each kind per party is fine"
        }
        test "the outside-money scenario: the summary lists spend and violations per advertiser; the archive names the payer and the beneficiary" {
            let sc = Scenario.Builtin("outside-money").With(replicates = Nullable 2, voters = Nullable 20000)
            let res = Simulation.Run(sc, Nullable 2)
            let summary = res.Summary()
            let spend = summary.["spend"].AsArray() |> Seq.map (fun e -> string e.["party"], (match e.["sponsor"] with null -> "party" | s -> string s)) |> List.ofSeq
            Expect.equal spend [ "Red", "party"; "Red", "third-party"; "Red", "foreign"; "Blue", "party" ] "one spend entry per advertiser"
            Expect.equal (summary.["violations"].AsArray().Count) 4 "one violations entry per advertiser"
            let archive = Simulation.Detail(sc).Archive("campaign")
            let third = archive.All |> Seq.filter (fun a -> a.Sponsor = "Red (third-party)") |> List.ofSeq
            Expect.isNonEmpty third "the third party's ads are archived under its name"
            for a in third do Expect.equal (a.Beneficiary, a.Payer) ("Red", "Red (third-party), non-party campaigner") "paid by the third party for Red"
        }
    ]
