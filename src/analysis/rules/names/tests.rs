use super::*;
use crate::analysis::Format;
use crate::analysis::rules::test_util::{assert_count, fixed, run};

pub(super) const R: NameSpelling = NameSpelling;

/// The flagged texts of a document, in order.
pub(super) fn flagged(text: &str) -> Vec<String> {
    run(&R, text, Format::Markdown, &Settings::default())
        .iter()
        .map(|f| text[f.span.clone()].to_string())
        .collect()
}

pub(super) fn with_names(accept: &[&str], prefer: &[(&str, &str)]) -> Settings {
    let mut s = Settings::default();
    s.names.accept = accept.iter().map(|x| x.to_string()).collect();
    s.names.prefer = prefer
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    s
}

// --- Variants that are flagged -------------------------------------------------------------

#[test]
fn a_transposed_surname_is_flagged() {
    assert_eq!(
        flagged("Defense Secretary Chuck Hagel spoke on Monday. Aides said Hagle would travel."),
        ["Hagle"]
    );
}

#[test]
fn case_inside_a_name_is_flagged() {
    assert_eq!(
        flagged("Gov. Ron DeSantis signed the bill. Critics said Desantis had overreached."),
        ["Desantis"]
    );
    assert_eq!(
        flagged("Sen. Mitch McConnell objected, and Mcconnell later voted no."),
        ["Mcconnell"]
    );
}

#[test]
fn accents_are_flagged() {
    assert_eq!(
        flagged("We met Siobhán Walsh on Friday. Later Siobhan Walsh called back."),
        ["Siobhan"]
    );
    assert_eq!(
        flagged("The firm hired Minh Nguyễn last year, and colleagues say Nguyen is careful."),
        ["Nguyen"]
    );
}

#[test]
fn a_family_name_written_first_still_matches_its_bare_use() {
    assert_eq!(
        flagged("The ministry named Nguyễn Văn An as its envoy. Nguyen said he would travel."),
        ["Nguyen"]
    );
    assert_eq!(
        flagged("Shares of the group run by Nguyễn Văn An fell. Analysts said Nguyen had erred."),
        ["Nguyen"]
    );
}

#[test]
fn hyphen_and_space_variants_are_flagged() {
    assert_eq!(
        flagged("He spoke at the Shangri-La Dialogue. Delegates at Shangri La agreed."),
        ["Shangri La"]
    );
}

#[test]
fn transliteration_variants_are_flagged() {
    assert_eq!(
        flagged(
            "Libya was ruled by Muammar Gaddafi for decades. Gaddafi died in 2011, and Qaddafi's rule is still debated."
        ),
        ["Qaddafi"]
    );
    assert_eq!(
        flagged(
            "President Volodymyr Zelenskyy met donors. Aides to Zelenskyy said Zelensky would return."
        ),
        ["Zelensky"]
    );
}

#[test]
fn a_belarusian_and_a_russian_romanisation_opening_a_sentence_are_flagged() {
    // ў written "ou" for the Russian "ov"; the variant only ever opens a sentence.
    assert_eq!(
        flagged(
            "Sviatlana Tsikhanouskaya spoke on Saturday. Tsikhanouskaya said the movement would go on.\n\nThe crowd was large. Tikhanovskaya thanked the organisers."
        ),
        ["Tikhanovskaya"]
    );
    // Not when the confirmed spelling is used only once, nor for a short ordinary word.
    assert!(
        flagged(
            "Officials met Sviatlana Tsikhanouskaya on Saturday.\n\nThe crowd was large. Tikhanovskaya thanked them."
        )
        .is_empty()
    );
}

#[test]
fn a_sentence_initial_misspelling_of_a_known_name_is_flagged() {
    assert_eq!(
        flagged(
            "The lead author, Dr. Amina Abdullahi, spoke first.\n\nAbdulahi said the team would go on."
        ),
        ["Abdulahi"]
    );
}

#[test]
fn a_surname_alone_belongs_to_the_full_name() {
    assert_eq!(
        flagged(
            "Novak Djokovic won again. Djokovic thanked the crowd, and Djokovich then left the court."
        ),
        ["Djokovich"]
    );
}

#[test]
fn every_occurrence_of_the_variant_is_flagged() {
    assert_eq!(
        flagged("Chuck Hagel met Hagle aides. Hagel spoke. Hagel left, and Hagle stayed."),
        ["Hagle", "Hagle"]
    );
}

#[test]
fn the_more_frequent_spelling_wins_and_ties_go_to_the_earliest() {
    assert_eq!(
        flagged("Reporters saw Qaddafi in Sirte. Qaddafi spoke, and Gaddafi left."),
        ["Gaddafi"]
    );
    assert_eq!(
        flagged("Reporters saw Gaddafi in Sirte, and later Qaddafi left."),
        ["Qaddafi"]
    );
}

#[test]
fn a_capitalisation_variant_of_a_brand_is_flagged() {
    assert_eq!(
        flagged("Sony showed the PlayStation VR. Fans queued for the Playstation VR demo."),
        ["Playstation"]
    );
}

#[test]
fn an_inner_possessive_in_an_organisation_name_is_flagged() {
    assert_eq!(
        flagged(
            "Voters backed the New People Party slate. A New People Party member won, and the New People's Party celebrated."
        ),
        ["New People's Party"]
    );
}

#[test]
fn a_lowercased_word_of_a_multi_word_name_is_flagged() {
    assert_eq!(
        flagged(
            "Funding for the Space Shuttle Program ended. The Space Shuttle Program flew 135 missions before the Space Shuttle program closed."
        ),
        ["Space Shuttle program"]
    );
}

#[test]
fn related_information_points_to_the_canonical_spelling() {
    let t = "Chuck Hagel spoke. Later Hagle left.";
    let f = run(&R, t, Format::Plain, &Settings::default());
    assert_eq!(f.len(), 1);
    assert_eq!(&t[f[0].related[0].span.clone()], "Hagel");
    assert!(f[0].message.contains("‘Hagle’"), "{}", f[0].message);
    assert!(f[0].message.contains("‘Hagel’"), "{}", f[0].message);
}

#[test]
fn a_shared_first_name_allows_a_bigger_slip_in_the_surname() {
    assert_eq!(
        flagged("Officials named Jamil Hamieh on Monday. Later Jamil Hamiyah left the city."),
        ["Hamiyah"]
    );
    // Without the shared first name, the same pair is too far apart to call.
    assert_count(
        &R,
        "Officials named Hamieh on Monday. Later Hamiyah left the city.",
        0,
    );
}

#[test]
fn a_dropped_particle_is_a_legitimate_form_but_a_respelled_core_is_not() {
    assert_count(
        &R,
        "Syria's Bashar al-Assad spoke. Assad later left, and Mr Assad returned.",
        0,
    );
    assert_eq!(
        flagged(
            "Libya's Muammar el-Qaddafi spoke. Later Gaddafi left, and Muammar el-Qaddafi stayed."
        ),
        ["Gaddafi"]
    );
}

#[test]
fn joined_names_with_a_slip_are_flagged() {
    assert_eq!(
        flagged("Iran's Gholamreza Soleimani spoke. Later Gholam Reza Soleimani left."),
        ["Gholam Reza"]
    );
    assert_eq!(
        flagged("Iran's Gholamreza Soleimani spoke. Later Gholam Rezza Soleimani left."),
        ["Gholam Rezza"]
    );
}

#[test]
fn swapped_consonants_are_flagged() {
    assert_eq!(
        flagged("Officials said Akram Abbas arrived. Later, Arkam Abbas left."),
        ["Arkam"]
    );
}

// --- Not variants -----------------------------------------------------------------------------

#[test]
fn a_father_and_son_sharing_a_surname_are_not_variants() {
    assert_count(
        &R,
        "Muammar Gaddafi ruled Libya. His son Saif al-Islam Gaddafi was arrested; Gaddafi denied it.",
        0,
    );
}

#[test]
fn people_sharing_a_first_name_are_not_variants() {
    assert_count(
        &R,
        "Carlos Alcaraz lost. His coach, Juan Carlos Ferrero, said Carlos was tired and Alcaraz agreed.",
        0,
    );
}

#[test]
fn people_with_similar_surnames_and_different_first_names_are_not_variants() {
    assert_count(
        &R,
        "Boris Johnson met Alan Johnston. Johnson spoke first and Johnston replied.",
        0,
    );
    assert_count(
        &R,
        "Jon Stewart interviewed John Kerry. Stewart asked about Kerry's trip.",
        0,
    );
}

#[test]
fn places_sharing_a_compass_word_are_not_variants() {
    assert_count(
        &R,
        "Teams from South Africa and South America met. South Africa won.",
        0,
    );
    assert_count(
        &R,
        "Students at Harvard University and Howard University marched.",
        0,
    );
}

#[test]
fn cantonese_given_names_are_compared_syllable_by_syllable() {
    assert_count(
        &R,
        "Voters elected Leung Kwok-hing and Leung Kwok-kin. Leung Kwok-hing thanked them.",
        0,
    );
}

#[test]
fn titles_and_legitimate_forms_are_not_variants() {
    assert_count(
        &R,
        "U.S. President Donald Trump spoke. President Trump, Mr. Trump and Donald J. Trump are one man; Trump's aides agreed.",
        0,
    );
}

#[test]
fn possessives_and_plurals_are_not_variants() {
    assert_count(
        &R,
        "The Kennedy family gathered. The Kennedys, like Kennedy's aides, were there.",
        0,
    );
}

#[test]
fn related_words_are_not_variants() {
    assert_count(
        &R,
        "Korea and the Korean peninsula; Marxist and Marxism; Arabic in Arabia; China and Chinese firms; Slovakia and Slovenia; Iran and Iraq; Austria and Australia.",
        0,
    );
}

#[test]
fn ordinary_words_at_sentence_start_are_not_names() {
    assert_count(
        &R,
        "Police said the Pollice Academy had closed. Later the police returned.",
        0,
    );
    assert_count(&R, "Under the plan, Roberto Unger said, taxes rise.", 0);
}

#[test]
fn a_first_letter_case_change_of_a_particle_is_not_a_variant() {
    assert_count(
        &R,
        "Syria's Bashar al-Assad spoke. Al-Assad later left, and al-Assad's aides stayed.",
        0,
    );
}

#[test]
fn all_caps_datelines_and_acronyms_are_not_variants() {
    assert_count(
        &R,
        "TRIPOLI, Libya — Officials in Tripoli said NASA and Nasa staff met.",
        0,
    );
}

#[test]
fn a_day_with_a_common_noun_is_not_a_name_written_two_ways() {
    // The party's capital is a real variant (the phrase check ran); the night's is not.
    let text = "The festival opened on Saturday Night with the Republican Party's mayor.\n\n\
                I went on Saturday night, when the Republican party held a rally.\n";
    assert_eq!(flagged(text), ["Republican party"]);
}

#[test]
fn generic_uses_of_a_proper_adjective_are_not_flagged() {
    assert_count(
        &R,
        "He visited the British Museum, then a British museum in Kent.",
        0,
    );
}

#[test]
fn title_case_headlines_do_not_make_case_variants() {
    assert_count(
        &R,
        "# Republican Party Picks New Leader\n\nThe Republican party met on Monday.\n",
        0,
    );
}

#[test]
fn prime_minister_and_the_prime_minister_are_fine() {
    assert_count(
        &R,
        "Prime Minister Theresa May spoke. The prime minister said Prime Minister May would return.",
        0,
    );
}

#[test]
fn code_is_not_prose() {
    assert_count(&R, "Chuck Hagel spoke. `Hagle` is a test name.\n", 0);
}

// --- Fixes ------------------------------------------------------------------------------------

#[test]
fn the_preferred_fix_changes_the_variant() {
    assert_eq!(
        fixed(&R, "Chuck Hagel spoke. Later Hagle's aide left.").unwrap(),
        "Chuck Hagel spoke. Later Hagel's aide left."
    );
}

#[test]
fn change_all_and_accept_fixes_are_offered() {
    let t = "Chuck Hagel spoke. Hagel left. Hagel came back. Hagle went, and Hagle returned.";
    let f = run(&R, t, Format::Plain, &Settings::default());
    assert_eq!(f.len(), 2);
    let titles: Vec<&str> = f[0].fixes.iter().map(|x| x.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Change to ‘Hagel’",
            "Change all 2 ‘Hagle’ to ‘Hagel’",
            "Accept ‘Hagle’ as a different name"
        ]
    );
    assert!(f[0].fixes[0].preferred);
    assert_eq!(
        crate::analysis::apply_edits(t, &f[0].fixes[1].edits).unwrap(),
        t.replace("Hagle", "Hagel")
    );
    assert!(f[0].fixes[2].edits.is_empty());
    assert_eq!(
        f[0].fixes[2].settings_change,
        Some(SettingsChange::AcceptName("Hagle".into()))
    );
}
