// The words the demo community is made of: its topics, and the names and phrases of its members.

export interface TopicSpec {
  slug: string;
  name: string;
  /** Relative share of members interested in the topic. */
  popularity: number;
  /** Handle suffix for members known for the topic, as in "maya_rides". */
  handleWord: string;
  bioPhrases: string[];
}

export const demoTopics: readonly TopicSpec[] = [
  {
    slug: "cycling",
    name: "Cycling",
    popularity: 3,
    handleWord: "rides",
    bioPhrases: ["Commutes by bike all year round", "Chasing gravel roads at weekends"],
  },
  {
    slug: "social-media",
    name: "Social media",
    popularity: 5,
    handleWord: "posts",
    bioPhrases: ["Thinks about feeds for a living", "Community manager by day"],
  },
  {
    slug: "food",
    name: "Food",
    popularity: 5,
    handleWord: "eats",
    bioPhrases: ["Home cook, sourdough keeper", "Always hunting the best noodles in town"],
  },
  {
    slug: "photography",
    name: "Photography",
    popularity: 3,
    handleWord: "shoots",
    bioPhrases: ["Street photographer on 35mm", "Shoots landscapes at golden hour"],
  },
  {
    slug: "music",
    name: "Music",
    popularity: 4,
    handleWord: "plays",
    bioPhrases: ["Plays bass in a garage band", "Collects records and opinions about them"],
  },
  {
    slug: "climbing",
    name: "Climbing",
    popularity: 2,
    handleWord: "climbs",
    bioPhrases: ["Bouldering most evenings", "Trad climber, slow and steady"],
  },
  {
    slug: "open-source",
    name: "Open source",
    popularity: 2,
    handleWord: "codes",
    bioPhrases: ["Maintains a few small libraries", "Reviews pull requests over coffee"],
  },
  {
    slug: "gardening",
    name: "Gardening",
    popularity: 2,
    handleWord: "grows",
    bioPhrases: ["Grows tomatoes on a tiny balcony", "Allotment regular, compost enthusiast"],
  },
];

// Space-separated so the lists stay compact under the formatter.
export const firstNames = (
  "ada alex amara ben carla chen dana diego elena emeka farah finn gia hana ivan jonas kai lena " +
  "luca maya mei nadia nico omar priya quinn rosa sami tara theo uma vera wren yara yusuf zoe"
).split(" ");
export const lastNames = (
  "abbott bauer costa dubois eriksen fischer garcia haddad ito jansen kowalski larsen moreau " +
  "nakamura okafor petrov quispe rossi silva tanaka usman varga weber xu yilmaz zhang novak mensah " +
  "lindqvist oconnor"
).split(" ");
export const endorsementNotes = [
  "Knows their stuff",
  "Always generous with tips",
  "My first read on this",
  "Taught me a lot",
  "Solid advice, every time",
];
