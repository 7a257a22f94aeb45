/// Owned social through the online graph: posts reach non-followers only through an earned-media cascade.
module Workbench.Tests.Campaigns.EarnedMediaTests

open System
open Expecto
open Workbench.Behaviour
open Workbench.Campaigns
open Workbench.Experiments

let private scenario voters replicates = Scenario.Builtin("earned-media").With(replicates = Nullable replicates, voters = Nullable voters)

let private outsideShare (res: SimulationResult) arm =
    let rows = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> List.ofSeq
    float (rows |> List.sumBy (fun s -> s.ContactsOutsideBubble)) / float (rows |> List.sumBy (fun s -> s.Contacts))

[<Tests>]
let tests =
    testList "Campaigns.EarnedMedia" [
        test "the cascade, not a constant, decides who outside the followers a post reaches; paid ads reach outside the bubble" {
            let sc = scenario 20000 2
            Expect.equal (sc.Channel "owned-social").Spread Spread.Cascade "the built-in channel spreads by cascade"
            Expect.equal (sc.Channel "owned-bubble").Spread Spread.Bubble "the scenario keeps the constant-reach model for comparison"
            let res = Simulation.Run(sc, Nullable 2)
            let bubble, cascade, paid = outsideShare res "owned-bubble", outsideShare res "owned-cascade", outsideShare res "paid"
            printfn "share of contacts outside Red's identifiers: owned-bubble %.3f, owned-cascade %.3f, paid %.3f" bubble cascade paid
            Expect.isGreaterThan bubble 0.0 "the constant reach leaks some posts"
            Expect.notEqual cascade bubble "the cascade changes who is reached"
            Expect.isGreaterThan paid bubble "paid ads reach beyond the followers more than owned posts with the constant reach"
            for s in res.Spend do Expect.isLessThanOrEqual s.ContactsOutsideBubble s.Contacts "a part of all contacts"
        }
        test "cascade reach gives the same bytes whatever the thread count" {
            let sc = scenario 8000 2
            Expect.equal (Simulation.Run(sc, Nullable 1).ToCsv()) (Simulation.Run(sc, Nullable 2).ToCsv()) "same results"
        }
        test "\"spread\" parses on a channel and rejects unknown values with the JSON path" {
            let bad = """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "channels": [ { "name": "owned-social", "spread": "osmosis" } ],
                           "campaigns": [ { "party": "Red", "budget": 10, "channels": ["owned-social"] } ] }"""
            let ex = Expect.throwsC (fun () -> Scenario.Parse bad |> ignore) id
            Expect.stringContains ex.Message "$.channels[0].spread" (sprintf "names the path: %s" ex.Message)
        }
    ]

/// A campaign plans owned posts that spread by cascade with its page insights: the share of non-followers an earlier post reached, by constituency.
[<Tests>]
let insights =
    let world () =
        let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable 4, Nullable 2)
        let regime = Workbench.Data.DataRegime.Preset "uk-like"
        let m = ElectionDayModel(e, 1)
        let resp, kn, data = ResponseModel m, CampaignKnowledge.Build(e, regime, 1), Workbench.Data.VoterData.Open(e, regime)
        let make (cascade: Workbench.Networks.CascadeOptions) byInsights =
            CampaignEngine.Context(m, resp, kn, data, null, 7UL, 1, Cascade = cascade, PlansByInsights = byInsights)
        e, make, make null true
    testList "Campaigns.PageInsights" [
        test "insights are reach shares that vary by constituency, are reproducible, and are zero when no one shares" {
            let e, make, ctx = world ()
            let red = 0
            let a = CampaignEngine.PageInsights(ctx, red)
            Expect.equal a.Length e.ConstituencyCount "one share per constituency"
            for v in a do Expect.isTrue (v >= 0.0 && v <= 1.0) (sprintf "a share: %f" v)
            printfn "page insights, share of non-followers reached by constituency: %.3f to %.3f (mean %.3f)" (Array.min a) (Array.max a) (Array.average a)
            Expect.isGreaterThan (Array.max a - Array.min a) 0.01 "the cascade reaches some constituencies more than others"
            let _, _, again = world ()
            Expect.sequenceEqual (CampaignEngine.PageInsights(again, red)) a "same world, same insights"
            let silent = make (Workbench.Networks.CascadeOptions(Acceptance = 0.0)) true
            // The post is in every follower's feed; with no one sharing it no non-follower sees it.
            Expect.isTrue (CampaignEngine.PageInsights(silent, red) |> Array.forall (fun v -> v = 0.0)) "no sharing, no reach outside the followers"
            let eager = make (Workbench.Networks.CascadeOptions(Acceptance = 0.6)) true
            Expect.isGreaterThan (Array.average (CampaignEngine.PageInsights(eager, red))) (Array.average a) "more sharing, more reach"
        }
        test "the campaign's reach estimate for voters it believes lean elsewhere is its insight for their constituency, not the constant; delivery stays within budget" {
            let e, make, ctx = world ()
            let ch = Channels.Get "owned-social"
            let red = 0
            let insight = CampaignEngine.PageInsights(ctx, red)
            let byInsights = CampaignEngine.EstimatedContact(ctx, ch, red)
            let constant = CampaignEngine.EstimatedContact(make null false, ch, red)
            let kn = ctx.Knowledge
            let mutable others = 0
            for i in 0 .. e.VoterCount - 1 do
                if kn.EstimatedLean i <> red then
                    others <- others + 1
                    Expect.floatClose Accuracy.veryHigh byInsights.[i] (kn.ContactProbability(ch, i, red, insight.[int e.Constituency.[i]])) "the insight of the voter's constituency"
                    Expect.floatClose Accuracy.veryHigh constant.[i] (kn.ContactProbability(ch, i, red)) "the constant reach"
                else Expect.equal byInsights.[i] constant.[i] "followers are estimated alike"
            Expect.isGreaterThan others 1000 "many voters are believed to lean elsewhere"
            Expect.isFalse (Seq.forall2 (=) byInsights constant) "the two beliefs differ"
            let spec = CampaignSpec(Party = "Red", Budget = 6.0, Strategy = Strategy.Microtarget, Objective = Objective.Votes, Channels = [| "owned-social" |])
            let outcome = CampaignEngine.Run(ctx, spec, [| ch |], 0, Array.zeroCreate e.VoterCount, Array.zeroCreate (e.VoterCount * e.PartyCount))
            Expect.isGreaterThan outcome.Contacts 0L "posts reach voters"
            Expect.isLessThanOrEqual outcome.Spend (spec.Budget * 1.01) "delivery keeps to the budget (charged per delivered contact)"
        }
    ]
