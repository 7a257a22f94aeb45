/// Golden tests: real elections recomputed from their official votes must give the seats the
/// electoral authority declared. The votes, rules and sources live in lib/Workbench/Elections/Official/*.json
/// (embedded in the library); the declared seats are repeated here, each list with its official source, so a
/// wrong edit of a data file cannot silently change what "official" means.
module Workbench.Tests.Elections.GoldenTests

open Expecto
open Workbench.Elections

let private seatsOf (c: OfficialComparison) = c.Rows |> Seq.filter (fun r -> r.OfficialSeats > 0 || r.RecomputedSeats > 0) |> Seq.map (fun r -> r.Party, r.RecomputedSeats) |> Map.ofSeq
let private officialOf (e: OfficialElection) = Seq.zip e.Input.Parties e.OfficialSeats |> Seq.filter (fun (_, s) -> s > 0) |> Map.ofSeq

/// Declared seats, transcribed from the official publications (party codes as the authority uses them).
let private declared =
    [ // Indenrigs- og Sundhedsministeriet, "Endelig opgørelse af folketingsvalget den 13. november 2007",
      // https://www.valg.im.dk/noegletal/folketingsvalg/tidligere-folketingsvalg/endelig-opgoerelse-af-folketingsvalget-den-13-november-2007
      "denmark-2007", [ "A", 45; "B", 9; "C", 18; "F", 23; "O", 25; "V", 46; "Y", 5; "Ø", 4 ]
      // Danmarks Statistik via the Ministry, "Endelig opgørelse af folketingsvalget den 15. september 2011",
      // https://www.valg.im.dk/noegletal/folketingsvalg/tidligere-folketingsvalg/endelig-opgoerelse-af-folketingsvalget-den-15-september-2011
      "denmark-2011", [ "A", 44; "B", 17; "C", 8; "F", 16; "I", 9; "O", 22; "V", 47; "Ø", 12 ]
      // Danmarks Statistik via Økonomi- og Indenrigsministeriet, "Endelig opgørelse af folketingsvalget den 18. juni 2015",
      // https://www.sm.dk/nyheder/nyhedsarkiv/2015/jun/endelig-opgoerelse-af-folketingsvalget-den-18-juni-2015
      "denmark-2015", [ "A", 47; "B", 8; "C", 6; "F", 7; "I", 13; "O", 37; "V", 34; "Ø", 14; "Å", 9 ]
      // Danmarks Statistik via Økonomi- og Indenrigsministeriet, "Sådan fordelte stemmerne sig ved folketingsvalget den 5. juni 2019",
      // https://valg.im.dk/nyhedsarkiv/2019/jun/saadan-fordelte-stemmerne-sig-ved-folketingsvalget-den-5-juni-2019
      "denmark-2019", [ "A", 48; "B", 16; "C", 12; "D", 4; "F", 14; "I", 4; "O", 16; "V", 43; "Ø", 13; "Å", 5 ]
      // Kiesraad, "Officiële uitslag Tweede Kamerverkiezing 15 maart 2017",
      // https://www.kiesraad.nl/actueel/nieuws/2017/03/20/officiele-uitslag-tweede-kamerverkiezing-15-maart-2017
      "netherlands-2017", [ "VVD", 33; "PVV", 20; "CDA", 19; "D66", 19; "GroenLinks", 14; "SP", 14; "PvdA", 9; "ChristenUnie", 5
                            "Partij voor de Dieren", 5; "50PLUS", 4; "SGP", 3; "DENK", 3; "Forum voor Democratie", 2 ]
      // Electoral Commission, "2017 General Election – Official Result: Summary of Overall Results",
      // https://electionresults.govt.nz/electionresults_2017/statistics/overall-results-summary.html
      "new-zealand-2017", [ "ACT New Zealand", 1; "Green Party", 8; "Labour Party", 46; "National Party", 56; "New Zealand First Party", 9 ]
      // Valmyndigheten, "Val till Europaparlamentet 2019 – preliminärt valresultat, riket",
      // https://historik.val.se/val/ep2019/prelresultat/E/rike/index.html
      "sweden-ep-2019", [ "M", 4; "C", 2; "L", 1; "KD", 2; "S", 5; "V", 1; "MP", 2; "SD", 3 ] ]
    |> List.map (fun (id, seats) -> id, Map.ofList seats)

/// Runs the election's allocate input after an edit of its JSON (F# cannot use C# record `with`).
let private withInput (e: OfficialElection) (edit: System.Text.Json.Nodes.JsonObject -> unit) =
    let o = System.Text.Json.Nodes.JsonNode.Parse(e.InputJson).AsObject()
    edit o
    ElectionEngine.Run(ElectionJson.Parse(o.ToJsonString()))

[<Tests>]
let golden =
    testList "Elections.Golden" [
        test "at least six official results are shipped, each with a source" {
            Expect.isGreaterThanOrEqual OfficialElection.Names.Count 6 "six or more official results"
            Expect.sequenceEqual (OfficialElection.Names |> Seq.sort) (declared |> List.map fst |> List.sort) "every shipped result has declared seats in this file"
            for e in OfficialElection.All() do
                Expect.stringStarts e.Source.Url "https://" $"{e.Id}: source address"
                Expect.isNotEmpty e.Source.Publisher $"{e.Id}: publisher"
        }
        for id, seats in declared do
            test $"{id}: the data file's declared seats are the official ones" {
                Expect.equal (officialOf (OfficialElection.Load id)) seats "declared seats in the file"
            }
            test $"{id}: seats recomputed from the official votes equal the declared seats" {
                let c = (OfficialElection.Load id).Compare()
                Expect.equal (seatsOf c) seats "recomputed seats"
                Expect.isTrue c.Matches "every party, including those with no seat"
                Expect.isEmpty c.Result.Ties "no tie decided the result"
            }
        test "the encoded rule matters: New Zealand 2017 without ACT's electorate exemption gives ACT no seat" {
            let e = OfficialElection.Load "new-zealand-2017"
            let r = withInput e (fun o -> o["threshold"].AsObject().Remove("exempt") |> ignore)
            let act = r.Parties |> Seq.findIndex ((=) "ACT New Zealand")
            Expect.equal r.Seats[act] 0 "ACT below 5% and not exempt"
        }
        test "the method matters: New Zealand 2017 under D'Hondt gives Labour 47, not the declared 46" {
            let e = OfficialElection.Load "new-zealand-2017"
            let r = withInput e (fun o -> o["method"] <- System.Text.Json.Nodes.JsonValue.Create("dhondt"))
            let lab = r.Parties |> Seq.findIndex ((=) "Labour Party")
            Expect.equal r.Seats[lab] 47 "D'Hondt favours the largest party"
        }
        test "the threshold matters: Denmark 2019 without the 2% threshold seats parties the official result excludes" {
            let e = OfficialElection.Load "denmark-2019"
            let r = withInput e (fun o -> o.Remove("threshold") |> ignore)
            let seat p = r.Seats[r.Parties |> Seq.findIndex ((=) p)]
            Expect.isGreaterThan (seat "P" + seat "K") 0 "Stram Kurs (1.8%) or Kristendemokraterne (1.7%) would win seats"
        }
        // Efficiency gap, hand-computed (Stephanopoulos & McGhee 2015, U. Chicago Law Review 82(2): 831–900, count as
        // wasted the loser's votes and the winner's votes above 50% of the district's two-party votes).
        // Districts (A, B): (6, 4), (3, 2), (2, 8); 25 votes in all.
        //   Paper (surplus above total/2):  d1 A 6 − 5 = 1, B 4;  d2 A 3 − 2.5 = 0.5, B 2;  d3 A 2, B 8 − 5 = 3.
        //     wasted A = 1 + 0.5 + 2 = 3.5, wasted B = 4 + 2 + 3 = 9, EG = (3.5 − 9)/25 = −0.22.
        //   Majority + 1 (surplus above ⌊total/2⌋ + 1):  d1 A 6 − 6 = 0, B 4;  d2 A 3 − 3 = 0, B 2;  d3 A 2, B 8 − 6 = 2.
        //     wasted A = 2, wasted B = 8, EG = (2 − 8)/25 = −0.24.
        test "efficiency gap follows the paper's 50% surplus by default; majority + 1 only on request (hand-computed)" {
            let d = [| struct (6L, 4L); struct (3L, 2L); struct (2L, 8L) |]
            Expect.floatClose Accuracy.high (Indices.EfficiencyGap d) -0.22 "paper: −0.22"
            Expect.floatClose Accuracy.high (Indices.EfficiencyGap(d, SurplusConvention.HalfOfVotes)) -0.22 "explicit paper convention"
            Expect.floatClose Accuracy.high (Indices.EfficiencyGap(d, SurplusConvention.MajorityPlusOne)) -0.24 "majority + 1: −0.24"
            // The indices command and the allocate output use the default.
            let o = ElectionJson.ComputeIndices """{"votes":{"A":11,"B":14},"seats":{"A":1,"B":2},"districts":[{"A":6,"B":4},{"A":3,"B":2},{"A":2,"B":8}]}"""
            Expect.floatClose Accuracy.high (o["efficiencyGap"].GetValue<float>()) -0.22 "indices command"
        }
        test "a transcription whose party votes do not sum to the published valid votes is rejected" {
            let e = OfficialElection.Load "denmark-2019"
            let json = System.Text.Json.Nodes.JsonNode.Parse(
                         use s = typeof<OfficialElection>.Assembly.GetManifestResourceStream("Workbench.Official.denmark-2019.json")
                         use r = new System.IO.StreamReader(s)
                         r.ReadToEnd()).AsObject()
            json["officialValidVotes"] <- System.Text.Json.Nodes.JsonValue.Create(e.OfficialValidVotes + 1L)
            let errors = try OfficialElection.Parse(json.ToJsonString()) |> ignore; [] with :? Workbench.SpecValidationException as ex -> [ for x in ex.Errors -> x.Path ]
            Expect.equal errors [ "$.officialValidVotes" ] "sum check, at the published valid votes"
        }
    ]
