// Topics: what members are endorsed for and hold expertise in.
import { builder } from "../builder.js";

export const TopicRef = builder.prismaNode("Topic", {
  id: { field: "id" },
  fields: (t) => ({
    slug: t.exposeString("slug"),
    name: t.exposeString("name"),
  }),
});

builder.queryFields((t) => ({
  topics: t.prismaField({
    type: ["Topic"],
    description: "Every topic, by name.",
    resolve: (query, _root, _args, ctx) => ctx.db.topic.findMany({ ...query, orderBy: { name: "asc" } }),
  }),
}));
