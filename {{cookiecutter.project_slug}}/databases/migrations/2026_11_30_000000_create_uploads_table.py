from masoniteorm.migrations import Migration


class CreateUploadsTable(Migration):
    def up(self):
        """Run the migrations."""
        with self.schema.create("uploads") as table:
            table.increments("id")
            table.string("key").unique()
            table.string("original_name")
            table.big_integer("size")
            table.string("content_type")
            table.timestamp("created_at", now=True)
            # The list page reads the newest rows: ORDER BY created_at DESC, id DESC LIMIT n.
            table.index(["created_at", "id"], name="uploads_recent_index")

    def down(self):
        """Revert the migrations."""
        self.schema.drop("uploads")
