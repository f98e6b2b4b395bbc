-- Early series completion (README "Series completion"): released_at is when an association that stored enough
-- of the series was released; images_in_acquisition is Images in Acquisition (0020,1002) when the sender gives it.
-- A series released after its last instance whose slices form a gap-free stack completes without the quiet period.
ALTER TABLE series ADD COLUMN released_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE instance ADD COLUMN images_in_acquisition INTEGER;
