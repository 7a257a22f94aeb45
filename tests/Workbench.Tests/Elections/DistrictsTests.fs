module Workbench.Tests.Elections.DistrictsTests

open System.Collections.Immutable
open System
open Expecto
open Workbench.Elections
open Workbench.Behaviour

let private classroom = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable 3, Nullable 2))
let private ballots = lazy (ElectionDayModel(classroom.Value, 2).Vote(5, null, null, 2))

[<Tests>]
let tests =
    testList "Elections.Districts" [
        test "provinces: every constituency in one district, about `magnitude` seats each, the house size kept" {
            let e = classroom.Value
            let sys = ElectoralSystemSpec(Name = "prov", Type = "list", Districts = "provinces", Magnitude = Nullable 3)
            Expect.isEmpty (sys.Validate("$", e.ConstituencyCount)) "valid"
            let map = sys.DistrictMap e
            Expect.equal (Seq.sum map.Seats) e.ConstituencyCount "list seats default to the constituencies"
            Expect.isTrue (map.Seats |> Seq.forall (fun s -> s >= 1)) "each district has a seat"
            Expect.isTrue (map.DistrictOf |> Seq.forall (fun d -> d >= 0 && d < map.Seats.Length)) "every constituency assigned"
            let regions = e.ConstituencyRegion |> Seq.take e.ConstituencyCount |> Seq.distinct |> Seq.length
            Expect.isGreaterThan map.Seats.Length regions "smaller than regions"
            let mean = float (Seq.sum map.Seats) / float map.Seats.Length
            Expect.isLessThanOrEqual mean 3.0 (sprintf "mean magnitude %.2f" mean)
            // Districts never straddle regions.
            for k in 0 .. e.ConstituencyCount - 1 do
                for k2 in 0 .. e.ConstituencyCount - 1 do
                    if map.DistrictOf[k] = map.DistrictOf[k2] then
                        Expect.equal e.ConstituencyRegion[k] e.ConstituencyRegion[k2] "one region per district"
        }
        test "counting in provinces with a district threshold allocates the house and refuses what it cannot model" {
            let e = classroom.Value
            let sys = ElectoralSystemSpec(Name = "prov", Type = "list", Districts = "provinces", Magnitude = Nullable 3, DistrictThreshold = Nullable 0.03)
            let r = sys.Count(ballots.Value, e)
            Expect.equal (Seq.sum r.Seats) e.ConstituencyCount "seats sum to the house"
            let bad = ElectoralSystemSpec(Name = "x", Type = "list", Districts = "provinces")
            Expect.exists (bad.Validate("$.systems[0]", 20)) (fun er -> er.Path = "$.systems[0].magnitude") "magnitude required"
            let both = ElectoralSystemSpec(Name = "x", Type = "list", Districts = "regions", Threshold = Nullable 0.05, DistrictThreshold = Nullable 0.03)
            Expect.exists (both.Validate("$", 20)) (fun er -> er.Path = "$.districtThreshold") "one threshold"
            let fptp = ElectoralSystemSpec(Name = "x", Type = "fptp", DistrictThreshold = Nullable 0.03)
            Expect.exists (fptp.Validate("$", 20)) (fun er -> er.Path = "$.districtThreshold") "lists only"
        }
        test "the cost of the next seat, by hand: D'Hondt, 5 seats, A 1000, B 600, C 290" {
            // Quotients: A 1000, 500, 333.3, 250; B 600, 300, 200; C 290. Winners: A×3, B×2 (B's 300 is the last).
            // C needs 290 + x > 300 → x = 11 (at x = 10 C ties B's 300 and the tie goes to the party with more votes, B).
            // A's fourth seat needs (1000 + x)/4 ≥ 300 with the tie to A (more votes) → x = 200.
            // B's third seat needs (600 + x)/3 > A's 333.3 → x = 401.
            let sys = ElectoralSystemSpec(Name = "d", Type = "list", Method = "dhondt", Seats = Nullable 5)
            let e = classroom.Value
            // One national district whose votes are A, B, C: a Ballots with one row per constituency, all votes in the first.
            let rows = Array.init e.ConstituencyCount (fun k -> if k = 0 then [| 1000L; 600L; 290L |] else [| 0L; 0L; 0L |])
            let b = Ballots([| "A"; "B"; "C" |], ImmutableArray.CreateRange(rows |> Seq.map ImmutableArray.CreateRange), ImmutableArray.CreateRange(Array.create e.ConstituencyCount 0L), ImmutableArray.CreateRange(Array.create e.ConstituencyCount 0L))
            let costs = VoteValue.NextSeat(sys, b, e) |> Seq.map (fun c -> c.Party, (c.Seats, c.VotesToNextSeat)) |> Map.ofSeq
            Expect.equal costs["A"] (3, Nullable 200L) "A"
            Expect.equal costs["B"] (2, Nullable 401L) "B"
            Expect.equal costs["C"] (0, Nullable 11L) "C"
        }
        test "a party below a district threshold pays to cross it; a national threshold across districts is refused" {
            let e = classroom.Value
            let sys = ElectoralSystemSpec(Name = "d", Type = "list", Method = "dhondt", Seats = Nullable 5, Threshold = Nullable 0.1)
            let rows = Array.init e.ConstituencyCount (fun k -> if k = 0 then [| 1000L; 600L; 100L |] else [| 0L; 0L; 0L |])
            let b = Ballots([| "A"; "B"; "C" |], ImmutableArray.CreateRange(rows |> Seq.map ImmutableArray.CreateRange), ImmutableArray.CreateRange(Array.create e.ConstituencyCount 0L), ImmutableArray.CreateRange(Array.create e.ConstituencyCount 0L))
            let c = VoteValue.NextSeat(sys, b, e) |> Seq.find (fun c -> c.Party = "C")
            Expect.isTrue c.BelowThreshold "100 of 1,700 is below 10%"
            // Crossing needs 100 + x ≥ 0.1·(1700 + x) → x ≥ 78; then C's quotient must beat the last winner (B's 300): x = 201.
            Expect.equal c.VotesToNextSeat (Nullable 201L) "the seat, not just the threshold"
            let regional = ElectoralSystemSpec(Name = "r", Type = "list", Districts = "regions", Threshold = Nullable 0.05)
            Expect.throwsT<ArgumentException> (fun () -> VoteValue.NextSeat(regional, ballots.Value, e) |> ignore) "refused"
        }
        test "in small districts the next seat's cost varies more across districts than in large ones" {
            let e = classroom.Value
            let spread (sys: ElectoralSystemSpec) =
                let shares = VoteValue.NextSeat(sys, ballots.Value, e) |> Seq.filter (fun c -> c.Party = "Red") |> Seq.choose (fun c -> Option.ofNullable c.ShareToNextSeat) |> Array.ofSeq
                Array.max shares - Array.min shares, shares.Length
            let (small, ns) = spread (ElectoralSystemSpec(Name = "p", Type = "list", Districts = "provinces", Magnitude = Nullable 2))
            let (large, nl) = spread (ElectoralSystemSpec(Name = "r", Type = "list", Districts = "regions"))
            Expect.isGreaterThan ns nl "more districts"
            Expect.isGreaterThan small large (sprintf "spread of Red's next-seat cost: provinces %.4f, regions %.4f" small large)
        }
    ]
